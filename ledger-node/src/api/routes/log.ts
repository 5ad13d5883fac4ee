import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { bytesToHex } from "viem";
import { appendCosignatures, noteBody, parseCheckpoint } from "@cityledger/sdk/ledger";
import { asciiJsonBytes, checkpointToJson, entryJsonText, entryToJson, eventToJson, inclusionOf, logToJson, safeDecode } from "../json";
import { negotiate } from "../negotiate";
import { pageOf, pagingQuery } from "../paging";
import { txHash as parseTxHash, uint, uintOr } from "../params";
import { ProblemError, problemResponses } from "../problems";
import {
  CheckpointJson,
  ConsistencyProofJson,
  EntriesPage,
  EntryJson,
  InclusionProofJson,
  SignedNoteText,
  TentativeJson,
  TxHashParam,
  UintParam,
} from "../schemas";

/** Page size of GET /v1/entries. */
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;
const ENTRIES_PAGING = { defaultLimit: DEFAULT_PAGE, maxLimit: MAX_PAGE };
const MAX_LOG_INDEX = 2 ** 32 - 1;

/** Cache policy of answers that can never change (entries, proofs between fixed sizes, past checkpoints). */
export const IMMUTABLE = "public, max-age=31536000, immutable";

const CHECKPOINT_MEDIA = ["text/plain", "application/json"] as const;

/**
 * V8's JSON.stringify instead of the schema's compiled serializer, on the hot read routes whose answers are built field
 * by field here (json.ts), so nothing outside the schema can leak: profiled under load, the compiled serializer's
 * string escaping loop over every hex string was the largest JavaScript cost of a proof answer. The schemas still
 * document the answers (OpenAPI) and the tests check answers against them.
 */
const nativeJson = () => (data: unknown) => JSON.stringify(data);

const checkpointResponse = {
  description:
    "The signed checkpoint: the C2SP note as text/plain (default, what C2SP tools fetch), or JSON with Accept: application/json.",
  content: { "text/plain": { schema: SignedNoteText }, "application/json": { schema: CheckpointJson } },
};

/**
 * The log: checkpoints, entries, and the RFC 6962 proofs that tie them together. Everything here can be checked
 * against a signed checkpoint with the SDK (`verifyCheckpoint`, `verifyInclusion`, `verifyConsistency`).
 */
const logRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, decoder, verifierKey, follower, witnessed } = app.ledger;

  app.get(
    "/v1/checkpoint",
    {
      schema: {
        tags: ["log"],
        summary: "Latest signed checkpoint",
        description:
          "The C2SP tlog-checkpoint of the whole log, signed as a C2SP signed note (Ed25519), followed by the C2SP " +
          "`cosignature/v1` lines of the witnesses that already cosigned it. With `witnessed=true`: the latest checkpoint " +
          "the witnesses cosigned (it may lag the log by a round), 404 before any.",
        querystring: Type.Object({
          witnessed: Type.Optional(
            Type.Union([Type.Literal("true"), Type.Literal("false")], { description: "Serve the latest witnessed checkpoint." }),
          ),
        }),
        response: { 200: checkpointResponse, ...problemResponses(400, 404, 406) },
      },
    },
    async (request, reply) => {
      const media = negotiate(request.headers.accept, CHECKPOINT_MEDIA);
      reply.header("vary", "accept").header("cache-control", "no-cache");
      if (media === undefined) throw notAcceptable();
      let checkpoint: { origin: string; size: number; root: Uint8Array; note: string } = store.checkpoint;
      let cosignatures = witnessed?.cosignaturesOf(checkpoint.note) ?? [];
      if (request.query.witnessed === "true") {
        const latest = witnessed?.latest;
        if (!latest) throw new ProblemError("not-found", "no witness has cosigned a checkpoint of this node yet", { size: store.size });
        checkpoint = { ...parseCheckpoint(noteBody(latest.note)), note: latest.note };
        cosignatures = latest.cosignatures;
      }
      const note = appendCosignatures(checkpoint.note, cosignatures);
      if (media === "text/plain") return reply.type("text/plain; charset=utf-8").send(note);
      return reply.type("application/json; charset=utf-8").send(checkpointToJson({ ...checkpoint, note }, verifierKey, cosignatures));
    },
  );

  app.get(
    "/v1/checkpoints/:size",
    {
      schema: {
        tags: ["log"],
        summary: "Signed checkpoint of a past size",
        description: "The note the node signed when the log reached `size` (one per ingest batch).",
        params: Type.Object({ size: UintParam("Log size of the checkpoint.", ["8"]) }),
        response: { 200: checkpointResponse, ...problemResponses(400, 404, 406) },
      },
    },
    async (request, reply) => {
      const size = uint(request.params.size, "size");
      const media = negotiate(request.headers.accept, CHECKPOINT_MEDIA);
      if (media === undefined) throw notAcceptable();
      const note = size <= store.size ? await store.checkpointAt(size) : undefined;
      if (note === undefined) {
        throw new ProblemError(
          "not-found",
          size > store.size
            ? `no checkpoint at size ${size}: the log has ${store.size} entries`
            : `no checkpoint was signed at size ${size} (the node signs one at the end of each ingest batch)`,
          { size: store.size },
        );
      }
      reply.header("vary", "accept").header("cache-control", IMMUTABLE);
      if (media === "text/plain") return reply.type("text/plain; charset=utf-8").send(note);
      const parsed = parseCheckpoint(note.slice(0, note.lastIndexOf("\n\n") + 1));
      return reply.type("application/json; charset=utf-8").send(checkpointToJson({ ...parsed, note }, verifierKey));
    },
  );

  app.get(
    "/v1/entries",
    {
      serializerCompiler: nativeJson,
      schema: {
        tags: ["log"],
        summary: "A page of log entries",
        description: `Entries [from, from + limit), limit at most ${MAX_PAGE} (default ${DEFAULT_PAGE}). Follow \`next\` to page.`,
        querystring: Type.Object({
          from: Type.Optional(UintParam("First sequence number (default 0).")),
          limit: pagingQuery(ENTRIES_PAGING).limit,
        }),
        response: { 200: EntriesPage, ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const size = store.size;
      const from = uintOr(request.query.from, "from", 0);
      const { limit } = pageOf(request.query, ENTRIES_PAGING);
      if (from > size)
        throw new ProblemError("out-of-range", `from ${from} is beyond the log (size ${size})`, { size });
      const entries = await store.entries(from, limit);
      const end = from + entries.length;
      // The EntriesPage schema's JSON, written out as ASCII bytes (see entryJsonText and asciiJsonBytes).
      const items = entries.map((entry) => entryJsonText(entry, decoder));
      const body = asciiJsonBytes(`{"from":${from},"size":${size},"entries":[`, items, `],"next":${end < size ? end : null}}`);
      // The bytes are the schema's JSON: sent untyped, as fastify sends any Buffer.
      return (reply as FastifyReply).type("application/json; charset=utf-8").send(body);
    },
  );

  app.get(
    "/v1/entries/:seq",
    {
      serializerCompiler: nativeJson,
      schema: {
        tags: ["log"],
        summary: "One log entry",
        params: Type.Object({ seq: UintParam("Sequence number.") }),
        response: { 200: EntryJson, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const seq = uint(request.params.seq, "seq");
      const entry = await store.entry(seq);
      if (!entry)
        throw new ProblemError("not-found", `entry ${seq} is not in the log (size ${store.size})`, {
          size: store.size,
        });
      reply.header("cache-control", IMMUTABLE); // an entry never changes once it is in the log
      return entryToJson(entry, decoder);
    },
  );

  app.get(
    "/v1/proofs/inclusion",
    {
      serializerCompiler: nativeJson,
      schema: {
        tags: ["log"],
        summary: "RFC 6962 inclusion proof",
        description:
          "Audit path of one entry, named by `seq` or by `txHash` + `logIndex`, in the tree of `treeSize` entries (default: the whole log).",
        querystring: Type.Object({
          seq: Type.Optional(UintParam("Sequence number of the entry.")),
          txHash: Type.Optional(TxHashParam),
          logIndex: Type.Optional(UintParam("Log index of the entry in its block.")),
          treeSize: Type.Optional(UintParam("Tree size to prove against (default: current size).")),
        }),
        response: { 200: InclusionProofJson, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const size = store.size;
      const q = request.query;
      const treeSize = uintOr(q.treeSize, "treeSize", size);
      if (treeSize > size)
        throw new ProblemError("out-of-range", `treeSize ${treeSize} is beyond the log (size ${size})`, { size });
      let seq: number;
      if (q.seq !== undefined) {
        if (q.txHash !== undefined || q.logIndex !== undefined) {
          throw new ProblemError("invalid-parameter", "give either seq, or txHash with logIndex — not both");
        }
        seq = uint(q.seq, "seq");
      } else {
        if (q.txHash === undefined || q.logIndex === undefined) {
          throw new ProblemError("invalid-parameter", "name the entry by seq, or by txHash and logIndex", {
            invalidParams: [
              ...(q.txHash === undefined
                ? [{ in: "querystring" as const, name: "txHash", reason: "is required without seq" }]
                : []),
              ...(q.logIndex === undefined
                ? [{ in: "querystring" as const, name: "logIndex", reason: "is required without seq" }]
                : []),
            ],
          });
        }
        const logIndex = uint(q.logIndex, "logIndex");
        if (logIndex > MAX_LOG_INDEX)
          throw new ProblemError("out-of-range", `logIndex ${logIndex} is above ${MAX_LOG_INDEX}`);
        const found = await store.seqOf(parseTxHash(q.txHash), logIndex);
        if (found === undefined) {
          throw new ProblemError(
            "not-found",
            `no log (txHash ${parseTxHash(q.txHash)}, logIndex ${logIndex}) is in the log`,
            { size },
          );
        }
        seq = found;
      }
      if (seq >= treeSize) {
        throw new ProblemError("out-of-range", `entry ${seq} is not in a tree of size ${treeSize}`, { size });
      }
      const inclusion = await inclusionOf(store, seq, treeSize);
      if (q.treeSize !== undefined) reply.header("cache-control", IMMUTABLE); // a proof for a fixed size never changes
      return inclusion;
    },
  );

  app.get(
    "/v1/proofs/consistency",
    {
      schema: {
        tags: ["log"],
        summary: "RFC 6962 consistency proof",
        description:
          "Proof that the tree of `from` entries is a prefix of the tree of `to` entries (default: the whole log).",
        querystring: Type.Object({
          from: UintParam("Older tree size."),
          to: Type.Optional(UintParam("Newer tree size (default: current size).")),
        }),
        response: { 200: ConsistencyProofJson, ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const size = store.size;
      const from = uint(request.query.from, "from");
      const to = uintOr(request.query.to, "to", size);
      if (to > size) throw new ProblemError("out-of-range", `to ${to} is beyond the log (size ${size})`, { size });
      if (from > to) throw new ProblemError("out-of-range", `from ${from} is larger than to ${to}`, { size });
      const [proof, fromRoot, toRoot, fromCheckpoint, toCheckpoint] = await Promise.all([
        store.consistencyProof(from, to),
        store.rootAt(from),
        store.rootAt(to),
        store.checkpointAt(from),
        store.checkpointAt(to),
      ]);
      if (request.query.to !== undefined) reply.header("cache-control", IMMUTABLE);
      return {
        from,
        to,
        proof: proof.map((h) => bytesToHex(h)),
        fromRoot: bytesToHex(fromRoot),
        toRoot: bytesToHex(toRoot),
        fromCheckpoint: fromCheckpoint ?? null,
        toCheckpoint: toCheckpoint ?? null,
      };
    },
  );

  app.get(
    "/v1/tentative",
    {
      schema: {
        tags: ["log"],
        summary: "Logs above finality",
        description:
          "Logs of blocks not yet final: not in the log, may still change or vanish. Every item has `tentative: true`.",
        response: { 200: TentativeJson, ...problemResponses() },
      },
    },
    async () => {
      const items = follower.tentative().map((t) => ({
        tentative: true as const,
        log: logToJson(t.log),
        event: eventToJson(t.event ?? safeDecode(decoder, t.log)),
      }));
      return { finalSize: store.size, items };
    },
  );
};

function notAcceptable(): ProblemError {
  return new ProblemError(
    "not-acceptable",
    "this resource is served as text/plain (the C2SP signed note) or application/json",
  );
}

export default logRoutes;
