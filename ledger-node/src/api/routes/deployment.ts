import { Type, type Static, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { CityDeployment } from "@cityledger/sdk";
import type { WitnessSet } from "../../anchor/witnessSet";
import { ProblemError, problemResponses } from "../problems";
import { Address, Decimal } from "../schemas";

/** What the node knows of the city it serves, for `GET /v1/deployment`. */
export interface DeploymentSource {
  /** The deployment the node follows, as the SDK's `loadDeployment` validated it. */
  deployment: CityDeployment;
  /** The chain's JSON-RPC URL a browser may use; absent when the operator made none public. */
  publicRpcUrl?: string;
  /** The dev city's count of public demo keys (config `demoMembers`); absent on a real city. */
  demoMembers?: number;
  /** Reads LedgerAnchor's witness set on chain; absent when the deployment has no LedgerAnchor. */
  witnessSet?: () => Promise<WitnessSet>;
}

/** How long a witness set read from the chain is served before it is read again: it changes only by a council vote. */
export const WITNESS_SET_TTL_MS = 15_000;

const ContractJson = Type.Object(
  {
    address: Address,
    blockNumber: Type.Integer({ minimum: 0, description: "The block the contract was deployed in." }),
  },
  { additionalProperties: false },
);

const WitnessJson = Type.Object(
  { address: Address },
  { additionalProperties: false, description: "A witness: the account whose EIP-712 Checkpoint signatures LedgerAnchor counts." },
);

const AnchorJson = Type.Object(
  {
    contract: Type.Literal("LedgerAnchor"),
    address: Address,
    threshold: Type.Integer({ minimum: 0, description: "Witness signatures an anchor needs (0: no witness set yet)." }),
    blockNumber: Decimal,
  },
  {
    additionalProperties: false,
    description: "Where `witnesses` come from: LedgerAnchor's `witnesses()` and `threshold()`, read on chain at `blockNumber`.",
  },
);

export const DeploymentJson = Type.Object(
  {
    chainId: Type.Integer({ minimum: 1 }),
    deployer: Address,
    deployBlock: Type.Integer({ minimum: 0 }),
    contracts: Type.Record(Type.String(), ContractJson, {
      description: "Every contract of the deployment by artifact name (no ABIs: the SDK has them).",
    }),
    roles: Type.Record(Type.String(), Decimal, { description: "Role ids (uint64) by name, as decimal strings." }),
    node: Type.Object(
      {
        origin: Type.String({ description: "Origin line of this node's log, the first line of every checkpoint." }),
        verifierKey: Type.String({ description: "C2SP verifier key (name+hash+base64 Ed25519 key) of this node's checkpoints." }),
        witnesses: Type.Array(WitnessJson, { description: "LedgerAnchor's witnesses (see `anchor`); empty without LedgerAnchor." }),
        cosignerKeys: Type.Array(Type.String(), {
          description:
            "C2SP cosigner vkeys (tlog-cosignature, type 0x04) of the witnesses whose cosignature/v1 lines this node " +
            "appends to its checkpoint, as they reported them: pin the keys you trust from their operators.",
        }),
        cosignerKey: Type.Optional(
          Type.String({ description: "This node's own cosigner vkey, when it witnesses another node's log." }),
        ),
        anchor: Type.Union([AnchorJson, Type.Null()]),
        rpcUrl: Type.Optional(
          Type.String({ format: "uri", description: "Chain JSON-RPC URL a browser may use; absent when the operator published none." }),
        ),
        demoMembers: Type.Optional(
          Type.Integer({
            minimum: 1,
            description:
              "The local dev city only: demo members 0 to n-1 have the public keys keccak256(\"cityledger demo member \" + i). Absent on a real city.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description:
      "The deployment record (without ABIs), which the SDK's loadDeployment accepts, and this node's log identity: one " +
      "app build serves any city by reading it.",
  },
);
export type DeploymentJson = Static<typeof DeploymentJson>;

/**
 * `GET /v1/deployment`: which city this node serves — the deployment record a client passes to `loadDeployment`, the
 * node's log origin and checkpoint key, LedgerAnchor's witnesses with the block they were read at, and the public RPC.
 */
const deploymentRoutes: FastifyPluginAsyncTypebox<{ source?: DeploymentSource }> = async (app, { source }) => {
  const ctx = app.ledger;
  const witnessSet = source?.witnessSet ? cached(source.witnessSet, WITNESS_SET_TTL_MS) : undefined;

  app.get(
    "/v1/deployment",
    {
      schema: {
        tags: ["city"],
        summary: "The city this node serves",
        description:
          "The deployment record without ABIs (chain id, deployer, contracts with their deploy blocks, role ids) that " +
          "the SDK's loadDeployment accepts, and `node`: the log origin, the checkpoint verifier key, LedgerAnchor's " +
          "witnesses and threshold read on chain, and the JSON-RPC URL a browser may use. 503 not-ready while the " +
          "witness set cannot be read from the chain.",
        response: { 200: DeploymentJson, ...problemResponses(404, 503) },
      },
    },
    async (request, reply): Promise<DeploymentJson> => {
      if (!source) throw new ProblemError("not-found", "this node was started without a deployment record to serve");
      const { deployment, publicRpcUrl, demoMembers } = source;
      let set: WitnessSet | undefined;
      try {
        set = await witnessSet?.();
      } catch (error) {
        // The RPC's error may name its URL, credentials included: it is logged, never returned.
        request.log.warn({ err: error }, "reading LedgerAnchor's witness set failed");
        throw new ProblemError(
          "not-ready",
          "LedgerAnchor's witnesses cannot be read from the chain right now; retry shortly",
          {},
          { "retry-after": "5" },
        );
      }
      reply.header("cache-control", "no-cache");
      return {
        chainId: deployment.chainId,
        deployer: deployment.deployer,
        deployBlock: Number(deployment.deployBlock),
        contracts: Object.fromEntries(
          Object.entries(deployment.contracts).map(([name, c]) => [name, { address: c.address, blockNumber: Number(c.blockNumber) }]),
        ),
        roles: Object.fromEntries(Object.entries(deployment.roles).map(([name, id]) => [name, id.toString()])),
        node: {
          origin: ctx.store.origin,
          verifierKey: ctx.verifierKey,
          witnesses: (set?.witnesses ?? []).map((address) => ({ address })),
          cosignerKeys: ctx.witnessed?.witnessKeys ?? [],
          ...(ctx.witness ? { cosignerKey: ctx.witness.cosignerKey } : {}),
          anchor: set
            ? { contract: "LedgerAnchor", address: set.anchor, threshold: set.threshold, blockNumber: set.blockNumber.toString() }
            : null,
          ...(publicRpcUrl ? { rpcUrl: publicRpcUrl } : {}),
          ...(demoMembers ? { demoMembers } : {}),
        },
      };
    },
  );
};

/**
 * `read`, answered from its last success for `ttlMs`; concurrent callers share one read. A failed read is not
 * cached, and while a previous value exists it is served instead of the failure (the set outlives a flaky RPC).
 */
function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let last: { value: T; at: number } | undefined;
  let pending: Promise<T> | undefined;
  return () => {
    if (last && Date.now() - last.at < ttlMs) return Promise.resolve(last.value);
    pending ??= read()
      .then((value) => {
        last = { value, at: Date.now() };
        return value;
      })
      .catch((error: unknown) => {
        if (last) return last.value;
        throw error;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

export default deploymentRoutes;
