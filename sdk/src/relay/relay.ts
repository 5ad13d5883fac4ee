import { encodeFunctionData, type Abi, type Account, type Address, type Hash, type Hex } from "viem";
import { cityForwarderAbi } from "../abis/cityForwarder";
import { CityError } from "../errors/base";
import type { CityContext } from "../types";
import { addressOf, signerOf } from "../actions/internal/account";
import { requireLedgerUrl } from "../actions/internal/ledger";
import { read } from "../actions/internal/read";
import { forwardRequestTypes } from "./typedData";

/**
 * Where a relayed request stands on the ledger node (`GET /v1/relay/{id}`).
 * @example `const record: RelayRecord = await getRelayStatus(ledgerUrl, id);`
 */
export interface RelayRecord {
  id: Hex;
  kind: "forward" | "permit";
  status: "queued" | "submitted" | "mined" | "reverted" | "rejected" | "failed";
  member: Address;
  to: Address;
  functionName: string;
  nonce: string;
  acceptedAt: number;
  /** Relayer transactions sent for it; once mined, the mined one is last. */
  txHashes: Hash[];
  /** The key of the relayer's pool that sent it (once sent). */
  relayer?: Address;
  blockNumber?: string;
  gasUsed?: string;
  cost?: string;
  error?: { type: string; detail: string; revert?: { name: string; args: string[] } };
}

/**
 * Why the relayer refused a request (the RFC 9457 problem type's last segment), or how a relayed request ended when it
 * did not succeed (`reverted`, `front-run`, `rejected`, `failed`, `timeout`).
 * @example `if (err instanceof RelayError && err.type === "rate-limited") await sleep(err.retryAfter! * 1000);`
 */
export type RelayProblemType =
  | "invalid-request"
  | "invalid-parameter"
  | "malformed-calldata"
  | "wrong-chain"
  | "bad-signature"
  | "expired"
  | "replayed"
  | "nonce-conflict"
  | "not-a-member"
  | "not-allowed"
  | "quota-exceeded"
  | "rate-limited"
  | "simulation-reverted"
  | "relay-unavailable"
  | "reverted"
  | "front-run"
  | "rejected"
  | "failed"
  | "timeout"
  | "invalid-response"
  | "unknown";

/**
 * The ledger node refused to relay (an RFC 9457 problem), or the relayed transaction did not succeed. `type` is the
 * problem type's last segment (see {@link RelayProblemType}): not-a-member, quota-exceeded, rate-limited,
 * simulation-reverted, expired, bad-signature, replayed, nonce-conflict, wrong-chain, not-allowed, malformed-calldata,
 * invalid-request, relay-unavailable — or reverted, front-run, rejected, failed for the outcome.
 *
 * @example
 * ```ts
 * try { await city.currency.transfer({ to, amount, gasless: true }); }
 * catch (err) { if (err instanceof RelayError && err.type === "quota-exceeded") console.log(err.retryAfter); }
 * ```
 */
export class RelayError extends CityError {
  readonly type: RelayProblemType;
  readonly status: number | undefined;
  readonly requestId: Hex | undefined;
  /** The custom error the relayer's simulation reverted with, when it did. */
  readonly revert: { name: string; args: string[] } | undefined;
  /** Seconds to wait before trying again (quota-exceeded, rate-limited). */
  readonly retryAfter: number | undefined;

  constructor(
    detail: string,
    fields: { type: RelayProblemType | string; status?: number; requestId?: Hex; revert?: { name: string; args: string[] }; retryAfter?: number },
  ) {
    super(`The relayer did not relay the request: ${detail}`, {
      metaMessages: [`Problem: ${fields.type}`, ...(RELAY_HINTS[fields.type] ? [`- ${RELAY_HINTS[fields.type]}`] : [])],
      name: "RelayError",
    });
    this.type = fields.type as RelayProblemType;
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.revert = fields.revert;
    this.retryAfter = fields.retryAfter;
  }
}

const RELAY_HINTS: Partial<Record<RelayProblemType, string>> & Record<string, string | undefined> = {
  "not-a-member": "Only active members' actions are relayed: register first, or send the transaction yourself.",
  "quota-exceeded":
    "The member's daily relay quota (requests, gas, or refused requests) is used up: try again after the time in retryAfter (seconds).",
  "rate-limited": "This client sent too many requests (or holds too many streams): try again after retryAfter seconds.",
  "malformed-calldata": "Send exactly the ABI encoding of the call, with no bytes after it (encodeFunctionData does).",
  "nonce-conflict": "Another pending request holds this nonce: follow it with getRelayStatus(requestId), sign new calls with the next free nonce.",
  "front-run": "The member used this nonce directly before the relayed transaction was mined; the relayer's cost was charged to the member.",
  "simulation-reverted": "The call itself would revert: see `revert` for the contract's custom error.",
  expired: "Sign the request again with a later deadline.",
  "bad-signature": "Sign with the member's key, for this chain and this city's CityForwarder (or CityCoin for permits).",
  replayed: "This request (or its nonce) was already relayed: read its status with getRelayStatus(requestId).",
  "wrong-chain": "Sign for the chain the ledger node serves.",
  "not-allowed": "The relayer only pays for members' actions on city contracts.",
  "relay-unavailable": "The relayer could not send the transaction right now: try again shortly.",
  "invalid-request": "Check the request: value 0, gas within the relayer's maximum, a nonce at most a few ahead of the next one.",
  reverted: "The call reverted on chain although its simulation passed (the state changed in between): check it and sign again.",
};

/** @example `const body: ForwardRequestBody = { from, to, value: "0", gas: "200000", nonce: "0", deadline, data, signature };` */
export interface ForwardRequestBody {
  from: Address;
  to: Address;
  value: string;
  gas: string;
  nonce: string;
  deadline: number;
  data: Hex;
  signature: Hex;
}

/** @example `const p: SignForwardRequestParameters = { to: city.addresses.cityCoin, data };` */
export interface SignForwardRequestParameters {
  /** The member signing (default: the walletClient's account). */
  account?: Account | Address | undefined;
  /** The city contract to call. */
  to: Address;
  /** Its calldata. */
  data: Hex;
  /** Gas the forwarder gives the call (default: estimated, with a margin). */
  gas?: bigint | undefined;
  /** The member's forwarder nonce (default: read, counting transactions already pending). */
  nonce?: bigint | undefined;
  /** Unix seconds (default: one hour after the latest block). */
  deadline?: number | undefined;
}

/**
 * Signs an ERC-2771 `ForwardRequest` for the city's CityForwarder: the call runs as the member, the relayer pays.
 *
 * @example
 * ```ts
 * const body = await signForwardRequest(city, { to: city.addresses.cityCoin, data });
 * await postRelay(city.ledgerUrl!, { request: body });
 * ```
 */
export async function signForwardRequest(context: CityContext, parameters: SignForwardRequestParameters): Promise<ForwardRequestBody> {
  const { walletClient, account } = signerOf(context, "signForwardRequest", parameters.account);
  const from = addressOf(account);
  const forwarder = context.addresses.cityForwarder;
  const { publicClient } = context;
  const [domain, nonce, deadline, gas] = await Promise.all([
    forwarderDomain(publicClient, forwarder),
    parameters.nonce ??
      read(() => publicClient.readContract({ address: forwarder, abi: cityForwarderAbi, functionName: "nonces", args: [from], blockTag: "pending" })),
    parameters.deadline ?? publicClient.getBlock({ blockTag: "latest" }).then((block) => Number(block.timestamp) + 3600),
    parameters.gas ??
      // As the member calls it directly: the forwarded call costs the same plus reading the appended sender.
      publicClient.estimateGas({ account: from, to: parameters.to, data: parameters.data }).then((g) => (g * 13n) / 10n + 10_000n),
  ]);
  const [, name, version, chainId, verifyingContract] = domain;
  const message = { from, to: parameters.to, value: 0n, gas, nonce, deadline, data: parameters.data };
  const signature = await walletClient.signTypedData({
    account,
    domain: { name, version, chainId: Number(chainId), verifyingContract },
    types: forwardRequestTypes,
    primaryType: "ForwardRequest",
    message,
  });
  return {
    from,
    to: parameters.to,
    value: "0",
    gas: gas.toString(),
    nonce: nonce.toString(),
    deadline,
    data: parameters.data,
    signature,
  };
}

/**
 * A forwarder's EIP-712 domain (name, version, chain id, address): fixed at its deployment, so read once per client and
 * forwarder rather than once per signature. A failed read is not kept.
 */
const domains = new WeakMap<object, Map<Address, Promise<readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]]>>>();
function forwarderDomain(publicClient: CityContext["publicClient"], forwarder: Address) {
  let byAddress = domains.get(publicClient);
  if (!byAddress) domains.set(publicClient, (byAddress = new Map()));
  let domain = byAddress.get(forwarder);
  if (!domain) {
    const reading = read(() => publicClient.readContract({ address: forwarder, abi: cityForwarderAbi, functionName: "eip712Domain" }));
    byAddress.set(forwarder, (domain = reading));
    reading.catch(() => byAddress.delete(forwarder));
  }
  return domain;
}

/** @example `await postRelay(url, { chainId: 31337, permit: { owner, spender, value, nonce, deadline, signature } })` */
export type RelayBody =
  | { chainId?: number; request: ForwardRequestBody }
  | { chainId?: number; permit: { owner: Address; spender: Address; value: string; nonce: string; deadline: string; signature: Hex } };

/**
 * Posts a signed request to the ledger node's relayer; resolves with its record (`submitted`, or `queued` when signed
 * ahead of the member's next nonce).
 *
 * @throws {RelayError} When the node refuses it (the problem's type, detail and decoded revert).
 * @example `const record = await postRelay("http://127.0.0.1:8787", { chainId: 31337, request: body });`
 */
export async function postRelay(ledgerUrl: string, body: RelayBody): Promise<RelayRecord> {
  const response = await fetch(`${ledgerUrl}/v1/relay`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  return relayAnswer(response);
}

/**
 * Reads a relayed request's record.
 * @example `const { status, txHashes } = await getRelayStatus(url, id);`
 */
export async function getRelayStatus(ledgerUrl: string, id: Hex): Promise<RelayRecord> {
  return relayAnswer(await fetch(`${ledgerUrl}/v1/relay/${id}`, { headers: { accept: "application/json" } }));
}

/**
 * Follows a relayed request until it is sent (`until: "submitted"`) or final (`"final"`: mined, reverted, rejected or
 * failed), and returns its record. Each call to the node is a long-poll (`GET /v1/relay/{id}?wait=`) answered when the
 * status changes, so the record arrives as soon as the node knows it; `pollMs` only spaces calls that came back
 * with the status unchanged (the long-poll's own timeout).
 *
 * @throws {RelayError} When it ends rejected, reverted or failed, or does not get there within `timeoutMs`.
 * @example `const record = await waitForRelay(url, id, { until: "final" });`
 */
export async function waitForRelay(
  ledgerUrl: string,
  id: Hex,
  options: { until?: "submitted" | "final"; timeoutMs?: number; pollMs?: number } = {},
): Promise<RelayRecord> {
  const until = options.until ?? "final";
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let seen: RelayRecord["status"] | undefined;
  for (;;) {
    // The node's long-poll answers at the next change of status: asked first for "submitted", a request already sent
    // would be answered only once mined, a block time later. The first call then answers at once.
    const asIs = until === "submitted" && seen === undefined;
    const wait = asIs ? 0 : Math.max(0, Math.min(LONG_POLL_SECONDS, Math.floor((deadline - Date.now()) / 1000)));
    const record = await relayAnswer(await fetch(`${ledgerUrl}/v1/relay/${id}?wait=${wait}`, { headers: { accept: "application/json" } }));
    if (record.status === "rejected" || record.status === "reverted" || record.status === "failed") {
      throw new RelayError(record.error?.detail ?? record.status, { type: record.error?.type ?? record.status, requestId: id, revert: record.error?.revert });
    }
    if (record.status === "mined" || (until === "submitted" && record.status === "submitted")) return record;
    if (Date.now() > deadline) throw new RelayError(`still ${record.status} after ${options.timeoutMs ?? 120_000} ms`, { type: "timeout", requestId: id });
    if (record.status === seen) await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    seen = record.status;
  }
}

/** The longest wait asked of the node per call (its maximum is 30 s). */
const LONG_POLL_SECONDS = 20;

/**
 * The gasless path of every write action: encodes the simulated call, has the member sign it as a ForwardRequest,
 * relays it through the ledger node and returns the relayer's transaction hash (once mined when `wait`).
 * @internal
 */
export async function relayWrite(
  context: CityContext,
  action: string,
  account: Account | Address,
  request: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] },
  wait: boolean,
): Promise<Hash> {
  const ledgerUrl = requireLedgerUrl(context, `${action} with gasless: true`);
  const data = encodeFunctionData({ abi: request.abi, functionName: request.functionName, args: request.args ?? [] });
  const body = await signForwardRequest(context, { account, to: request.address, data });
  const chainId = context.publicClient.chain?.id;
  const record = await postRelay(ledgerUrl, chainId === undefined ? { request: body } : { chainId, request: body });
  const done = await waitForRelay(ledgerUrl, record.id, { until: wait ? "final" : "submitted" });
  return done.txHashes[done.txHashes.length - 1];
}

async function relayAnswer(response: Response): Promise<RelayRecord> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RelayError(`the ledger node answered ${response.status} with a body that is not JSON`, { type: "invalid-response", status: response.status });
  }
  if (response.ok) return json as RelayRecord;
  const problem = json as { type?: string; detail?: string; requestId?: Hex; revert?: { name: string; args: string[] } };
  const retryAfter = response.headers.get("retry-after");
  throw new RelayError(problem.detail ?? `HTTP ${response.status}`, {
    type: (problem.type ?? "unknown").split("/").pop()!,
    status: response.status,
    requestId: problem.requestId,
    revert: problem.revert,
    retryAfter: retryAfter ? Number(retryAfter) : undefined,
  });
}
