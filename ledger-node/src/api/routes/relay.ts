import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress, type Hex } from "viem";
import { ProblemError, problemResponses } from "../problems";
import type { Relayer } from "../../relay/relayer";
import type { RelayRecord } from "../../relay/store";

const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "Address, hex." });
const Uint = Type.String({ pattern: "^[0-9]{1,78}$", description: "Unsigned integer, decimal string." });
const Signature = Type.String({ pattern: "^0x[0-9a-fA-F]{130}$", description: "65-byte secp256k1 signature (r, s, v), hex." });
const RequestId = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "The EIP-712 digest the member signed." });
/** The longest long-poll of GET /v1/relay/{id}: below the usual proxies' 60-s idle timeout. */
const MAX_WAIT_SECONDS = 30;
/** Statuses a request never leaves: a long-poll answers them at once. */
const FINAL = new Set<RelayRecord["status"]>(["mined", "reverted", "rejected", "failed"]);
const ChainId = Type.Optional(
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "The chain the member signed for (checked when given)." }),
);

const ForwardRequest = Type.Object(
  {
    from: Address,
    to: Address,
    value: Uint,
    gas: Uint,
    nonce: Uint,
    deadline: Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix seconds (uint48)." }),
    data: Type.String({ pattern: "^0x([0-9a-fA-F]{2})*$", maxLength: 16_386, description: "Calldata, hex (at most 8 KiB)." }),
    signature: Signature,
  },
  { additionalProperties: false, description: "CityForwarder's EIP-712 ForwardRequest, signed by `from` with its forwarder nonce." },
);

const Permit = Type.Object(
  { owner: Address, spender: Address, value: Uint, nonce: Uint, deadline: Uint, signature: Signature },
  { additionalProperties: false, description: "An ERC-2612 permit of CityCoin, signed by `owner`." },
);

const RelayBody = Type.Union([
  Type.Object({ chainId: ChainId, request: ForwardRequest }, { additionalProperties: false }),
  Type.Object({ chainId: ChainId, permit: Permit }, { additionalProperties: false }),
]);

const RelayRecordJson = Type.Object({
  id: RequestId,
  kind: Type.Union([Type.Literal("forward"), Type.Literal("permit")]),
  status: Type.Union(["queued", "submitted", "mined", "reverted", "rejected", "failed"].map((s) => Type.Literal(s)), {
    description: "queued (waits for the member's earlier nonces), submitted, mined, reverted, rejected, failed.",
  }),
  member: Address,
  to: Address,
  functionName: Type.String(),
  nonce: Uint,
  acceptedAt: Type.Integer({ description: "Unix milliseconds." }),
  txHashes: Type.Array(Type.String(), { description: "Relayer transactions sent for it; when mined, the mined one is last." }),
  relayer: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "The key of the relayer's pool that sent it." })),
  blockNumber: Type.Optional(Uint),
  gasUsed: Type.Optional(Uint),
  cost: Type.Optional(Type.String({ description: "Wei the city paid." })),
  error: Type.Optional(
    Type.Object({
      type: Type.String(),
      detail: Type.String(),
      revert: Type.Optional(Type.Object({ name: Type.String(), args: Type.Array(Type.String()) })),
    }),
  ),
});

const RelayInfo = Type.Object({
  relayer: Address,
  relayers: Type.Array(Address, {
    description: "The keys sending relayed transactions side by side (the relay key first); a member's requests in flight all go through one of them.",
  }),
  funder: Type.Optional(
    Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "The account that refills the keys' gas when a key's balance falls below the threshold." }),
  ),
  chainId: Type.Integer(),
  quota: Type.Object({
    requestsPerDay: Type.Integer({ description: "Requests a member may send per UTC day, refused ones included." }),
    gasPerDay: Type.String({ pattern: "^[0-9]{1,78}$", description: "Gas the relayer's transactions for a member may use per UTC day (calldata and forwarder overhead included)." }),
    refusalsPerDay: Type.Integer({ description: "Refused requests a member may have per UTC day before all its requests are refused." }),
  }),
  contracts: Type.Array(Type.Object({ contract: Type.String(), address: Address, functions: Type.Array(Type.String()) })),
});

const QuotaJson = Type.Object({
  member: Address,
  day: Type.String({ description: "UTC day, YYYY-MM-DD." }),
  requests: Type.Integer({ description: "Requests that passed the signature check today, accepted or refused." }),
  gas: Type.String({ pattern: "^[0-9]{1,78}$", description: "Gas charged today: what the relayer's transactions used (their gas limit while in flight)." }),
  refused: Type.Integer({ description: "Requests refused today after the signature check (simulation, replay, conflict, front-running…)." }),
  requestsPerDay: Type.Integer(),
  gasPerDay: Uint,
  refusalsPerDay: Type.Integer(),
});

/**
 * The relayer: members sign (EIP-712 ForwardRequest or ERC-2612 permit), the city pays the gas. Each refusal is a
 * problem with a precise type, before any gas is spent.
 */
const relayRoutes: FastifyPluginAsyncTypebox<{ requestsPerMinute: number }> = async (app, options) => {
  const ctx = app.ledger;
  // Long-polls answer at once when the node closes, rather than holding its shutdown for up to their wait.
  app.addHook("preClose", async () => ctx.relayer?.releaseWaiters());
  const relayer = (): Relayer => {
    if (!ctx.relayer) throw new ProblemError("not-found", "this node does not relay (start it with --relay-key-file)");
    return ctx.relayer;
  };

  app.get(
    "/v1/relay",
    {
      schema: {
        tags: ["relay"],
        summary: "What the relayer pays for",
        description: "The relayer's address and its pool of keys, the daily quota per member and the contract functions it relays.",
        response: { 200: RelayInfo, ...problemResponses(404) },
      },
    },
    async () => {
      const r = relayer();
      return {
        relayer: r.address,
        relayers: r.addresses,
        funder: r.pool.funderAddress,
        chainId: ctx.chainId,
        quota: { requestsPerDay: r.quota.requestsPerDay, gasPerDay: r.quota.gasPerDay.toString(), refusalsPerDay: r.quota.refusalsPerDay },
        contracts: r.allowList.describe(),
      };
    },
  );

  app.post(
    "/v1/relay",
    {
      schema: {
        tags: ["relay"],
        summary: "Relay a member's signed request",
        description:
          "Checks, before spending gas: the chain, the allow-list (city contracts, member actions) and that the calldata " +
          "is exactly the ABI encoding of the call (malformed-calldata), the signature (before any chain read), the " +
          "member's daily quotas, the deadline, replay, the nonce not held by another pending request (nonce-conflict), " +
          "active membership, and a simulation against the pending state; then sends it from the relayer key. The " +
          "member's gas quota is charged the relayer transaction's gas (an upper bound on acceptance, the gas limit " +
          "when sent, the receipt's gasUsed when mined); every request past the signature check counts, and refused " +
          "ones also count against a daily refusal quota. Per client IP the route is rate-limited (429 rate-limited, " +
          "Retry-After). 202 with the request's record: `submitted`, or `queued` when signed ahead of the member's " +
          "next nonce (it is sent once the earlier ones arrive). Follow it with GET /v1/relay/{id}: a request whose " +
          "nonce the member used directly before the relayer's transaction was mined ends `reverted` with error type " +
          "`front-run`, charged to the member.",
        body: RelayBody,
        response: { 202: RelayRecordJson, ...problemResponses(400, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
      // Per client IP, before the body is even parsed: a flood costs the relayer nothing but this count.
      config: { rateLimit: { max: options.requestsPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const r = relayer();
      const body = request.body;
      // A refusal (RelayRejectedError) is answered as its problem type by the error handler (problemOf).
      const record = "request" in body ? await r.relayForward(body.request, body.chainId) : await r.relayPermit(body.permit, body.chainId);
      return reply.code(202).header("location", `/v1/relay/${record.id}`).send(toJson(record));
    },
  );

  app.get(
    "/v1/relay/:id",
    {
      schema: {
        tags: ["relay"],
        summary: "A relayed request's status and receipt",
        description:
          "With `wait`, a long-poll: a request not yet final (queued or submitted) is answered when its status changes " +
          "(sent, mined, reverted, rejected) or after `wait` seconds, whichever comes first, so a client follows it " +
          "with one call per change rather than polling.",
        params: Type.Object({ id: RequestId }),
        querystring: Type.Object(
          { wait: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_WAIT_SECONDS, description: "Seconds to wait for the next status (0: answer now)." })) },
          { additionalProperties: false },
        ),
        response: { 200: RelayRecordJson, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const r = relayer();
      const id = request.params.id as Hex;
      const record = await r.status(id);
      if (!record) throw new ProblemError("not-found", `no relayed request ${request.params.id}`);
      const wait = request.query.wait ?? 0;
      if (wait === 0 || FINAL.has(record.status)) return toJson(record);
      await r.nextChange(id, record.status, wait * 1000);
      return toJson((await r.status(id)) ?? record);
    },
  );

  app.get(
    "/v1/relay/quota/:address",
    {
      schema: {
        tags: ["relay"],
        summary: "A member's use of today's relay quota",
        params: Type.Object({ address: Address }),
        response: { 200: QuotaJson, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const r = relayer();
      const member = getAddress(request.params.address);
      const use = await r.usage(member);
      return {
        member,
        day: use.day,
        requests: use.requests,
        gas: use.gas.toString(),
        refused: use.refused,
        requestsPerDay: r.quota.requestsPerDay,
        gasPerDay: r.quota.gasPerDay.toString(),
        refusalsPerDay: r.quota.refusalsPerDay,
      };
    },
  );
};

function toJson(record: RelayRecord) {
  return { ...record, id: record.id.toLowerCase() };
}

export default relayRoutes;
