import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ProblemError, problemResponses } from "../problems";

const Hash = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "32-byte hash, hex." });

const CosignBody = Type.Object(
  {
    note: Type.String({ minLength: 1, maxLength: 8_192, description: "The operator's signed checkpoint (C2SP note)." }),
    fromSize: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Size the proof starts from." }),
    consistencyProof: Type.Array(Hash, { maxItems: 128, description: "RFC 6962 consistency proof, fromSize → note size." }),
  },
  { additionalProperties: false },
);

const CosignJson = Type.Object({
  witness: Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" }),
  signature: Type.String({ pattern: "^0x[0-9a-f]{130}$", description: "EIP-712 Checkpoint signature for LedgerAnchor." }),
  size: Type.Integer({ minimum: 0 }),
  root: Hash,
  cosignature: Type.String({
    pattern: "^\u2014 \\S+ [A-Za-z0-9+/=]+$",
    description: "C2SP cosignature/v1 line (no newline) over the note's checkpoint body, to append to the note.",
  }),
  cosignerKey: Type.String({ description: "This witness's cosigner vkey (C2SP tlog-cosignature, type 0x04)." }),
});

/**
 * A witness's endpoint: the log operator sends its signed checkpoint and a consistency proof from what this witness
 * cosigned last; the witness answers with its EIP-712 signature and its C2SP cosignature line, or refuses with the
 * reason (409).
 */
const witnessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ledger;
  app.post(
    "/v1/witness/cosign",
    {
      schema: {
        tags: ["witness"],
        summary: "Cosign a checkpoint (this node as a witness)",
        description:
          "Signs the operator's checkpoint (EIP-712 for LedgerAnchor, and a C2SP cosignature/v1 line) only if the note is signed by the operator and the proof " +
          "shows it extends the last checkpoint this witness cosigned. 409 witness-refused says why and from which size to prove.",
        body: CosignBody,
        response: { 200: CosignJson, ...problemResponses(400, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const witness = ctx.witness;
      if (!witness) throw new ProblemError("not-found", "this node is not a witness (start it with --witness-key-file)");
      // A refusal (WitnessRefusedError) is answered as witness-refused by the error handler (problemOf).
      const { note, fromSize, consistencyProof } = request.body;
      return await witness.cosign({ note, fromSize, consistencyProof: consistencyProof.map((h) => h.toLowerCase() as `0x${string}`) });
    },
  );
};

export default witnessRoutes;
