import { Type, type Static, type TSchema } from "@sinclair/typebox";

/**
 * Request and response schemas shared by the routes. Responses are schemas too: fastify serialises with them, so a
 * field that is not declared here never leaves the node.
 *
 * Integers in paths and query strings are patterned decimal strings, not JSON-schema integers: Ajv's coercion would
 * otherwise read `0x10` as 16 and `1e3` as 1000, and a verification API must not guess which entry was meant.
 */

/** Human phrases for the patterns below, so a validation problem says what is expected, not a regular expression. */
const PATTERN_PHRASES = new Map<string, string>();

/** A string schema with a pattern whose validation failure reads "must be <phrase>". */
function patterned(pattern: string, phrase: string, options: Parameters<typeof Type.String>[0] = {}) {
  PATTERN_PHRASES.set(pattern, phrase);
  return Type.String({ pattern, ...options });
}

/** The phrase registered for a pattern (used by the validation error formatter). */
export function phraseForPattern(pattern: string): string | undefined {
  return PATTERN_PHRASES.get(pattern);
}

// ── request parameters ──────────────────────────────────────────────────────────────────────────────────────────

const UINT_PATTERN = "^(0|[1-9][0-9]{0,15})$";
/** A non-negative decimal integer parameter (at most 16 digits; values above 2^53 − 1 are out of range). */
export const UintParam = (description: string, examples: string[] = ["0"]) =>
  patterned(UINT_PATTERN, "a non-negative decimal integer without sign or leading zeros", { description, examples });

const BIG_UINT_PATTERN = "^(0|[1-9][0-9]{0,77})$";
/** A non-negative decimal integer up to uint256 size (ids that are bigints on chain). */
export const BigUintParam = (description: string, examples: string[] = ["1"]) =>
  patterned(BIG_UINT_PATTERN, "a non-negative decimal integer (at most 78 digits) without sign or leading zeros", {
    description,
    examples,
  });

/** A calendar day, ISO 8601 (YYYY-MM-DD); the handler still checks that the day exists. */
export const DateParam = (description: string) =>
  patterned("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "a date: YYYY-MM-DD", { description, examples: ["2026-11-01"] });

export const AddressParam = patterned("^0x[0-9a-fA-F]{40}$", "an address: 0x followed by 40 hex digits", {
  description: "EVM address; if it has mixed case it must be a valid EIP-55 checksum.",
  examples: ["0x5FbDB2315678afecb367f032d93F642f64180aa3"],
});

export const TxHashParam = patterned("^0x[0-9a-fA-F]{64}$", "a transaction hash: 0x followed by 64 hex digits", {
  description: "Transaction hash.",
});

// ── response building blocks ─────────────────────────────────────────────────────────────────────────────────────

/** Lowercase 0x-hex of any length. */
export const Hex = Type.String({ pattern: "^0x[0-9a-f]*$" });
/** A 32-byte hash, lowercase 0x-hex. */
export const Hash32 = Type.String({ pattern: "^0x[0-9a-f]{64}$" });
/** A checksummed (EIP-55) address. */
export const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "EIP-55 checksummed address." });
/** A big integer as a decimal string. */
export const Decimal = Type.String({ pattern: "^-?(0|[1-9][0-9]*)$", description: "Integer as a decimal string." });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A count, index, seq or small id: a non-negative integer. */
export const Count = Type.Integer({ minimum: 0 });

/** A page of a list (see paging.ts): the items, the list's size and the window served. */
export const PageJson = <T extends TSchema>(item: T, description: string) =>
  Type.Object({ items: Type.Array(item), total: Count, offset: Count, limit: Count }, { additionalProperties: false, description });

/** A raw EVM log, the fields a leaf is made of. */
export const LogJson = Type.Object(
  {
    chainId: Type.Integer(),
    blockNumber: Decimal,
    blockHash: Hash32,
    transactionHash: Hash32,
    logIndex: Type.Integer({ minimum: 0 }),
    address: Address,
    topics: Type.Array(Hash32),
    data: Hex,
  },
  { additionalProperties: false },
);
export type LogJson = Static<typeof LogJson>;

/** A log decoded with the city's ABIs; integers in `args` are decimal strings. */
export const EventJson = Type.Object(
  {
    contract: Type.String({ description: "Contract name in the deployment, e.g. CityCoin." }),
    name: Type.String({ description: "Event name, e.g. Transfer." }),
    args: Type.Record(Type.String(), Type.Unknown(), {
      description: "Arguments by name (integers as decimal strings).",
    }),
  },
  { additionalProperties: false },
);
export type EventJson = Static<typeof EventJson>;

export const EntryJson = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, description: "Position in the log." }),
    leafHash: Hash32,
    leafInput: Hex,
    log: LogJson,
    event: Nullable(EventJson),
  },
  {
    additionalProperties: false,
    description:
      "An entry of the log: its leaf, the raw log it encodes, and the log decoded when an ABI of the city explains it.",
  },
);
export type EntryJson = Static<typeof EntryJson>;

export const EntriesPage = Type.Object(
  {
    from: Type.Integer({ minimum: 0 }),
    size: Type.Integer({ minimum: 0, description: "Log size when the page was read." }),
    entries: Type.Array(EntryJson),
    next: Nullable(Type.Integer({ minimum: 0, description: "`from` of the next page; null at the end of the log." })),
  },
  { additionalProperties: false, description: "A page of entries." },
);

export const CheckpointJson = Type.Object(
  {
    origin: Type.String(),
    size: Type.Integer({ minimum: 0 }),
    root: Hash32,
    rootBase64: Type.String({ description: "The root as in the note (standard base64)." }),
    note: Type.String({ description: "The C2SP signed note (tlog-checkpoint body + Ed25519 signature, then the cosignatures)." }),
    verifierKey: Type.String({ description: "C2SP verifier key of the node's checkpoint signer." }),
    cosignatures: Type.Array(Type.String(), {
      description: "The witnesses' C2SP cosignature/v1 lines the note ends with (none when no witness has cosigned it yet).",
    }),
  },
  { additionalProperties: false },
);
export type CheckpointJson = Static<typeof CheckpointJson>;

export const SignedNoteText = Type.String({
  description: "C2SP signed note: tlog-checkpoint body, blank line, signature.",
});

export const InclusionProofJson = Type.Object(
  {
    seq: Type.Integer({ minimum: 0 }),
    treeSize: Type.Integer({ minimum: 1 }),
    leafHash: Hash32,
    proof: Type.Array(Hash32),
    root: Hash32,
    checkpoint: Nullable(
      Type.String({ description: "Signed note for treeSize, when the node signed one at that size." }),
    ),
  },
  {
    additionalProperties: false,
    description: "RFC 6962 audit path: verify with the SDK verifyInclusion(leafHash, seq, treeSize, proof, root).",
  },
);

export const ConsistencyProofJson = Type.Object(
  {
    from: Type.Integer({ minimum: 0 }),
    to: Type.Integer({ minimum: 0 }),
    proof: Type.Array(Hash32),
    fromRoot: Hash32,
    toRoot: Hash32,
    fromCheckpoint: Nullable(Type.String()),
    toCheckpoint: Nullable(Type.String()),
  },
  {
    additionalProperties: false,
    description:
      "RFC 6962 consistency proof: verify with the SDK verifyConsistency(from, to, proof, fromRoot, toRoot).",
  },
);

export const TentativeJson = Type.Object(
  {
    finalSize: Type.Integer({ minimum: 0, description: "Log size: tentative items come after it." }),
    items: Type.Array(
      Type.Object(
        { tentative: Type.Literal(true), log: LogJson, event: Nullable(EventJson) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: "Logs above finality." },
);

export const FollowerStatusJson = Type.Union([
  Type.Object({ state: Type.Literal("starting") }, { additionalProperties: false }),
  Type.Object(
    { state: Type.Literal("following"), finalBlock: Decimal, tentativeBlock: Decimal },
    { additionalProperties: false },
  ),
  Type.Object(
    { state: Type.Literal("halted"), reason: Type.String(), atBlock: Decimal, expectedHash: Hex, actualHash: Type.Optional(Hex) },
    { additionalProperties: false },
  ),
]);

export const HealthJson = Type.Object(
  {
    status: Type.Union([Type.Literal("starting"), Type.Literal("following")]),
    size: Type.Integer({ minimum: 0 }),
    cursor: Type.Object(
      { block: Decimal, blockHash: Hash32, size: Type.Integer({ minimum: 0 }) },
      { additionalProperties: false },
    ),
    follower: FollowerStatusJson,
    sseSubscribers: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, description: "The node is starting or following the chain." },
);
