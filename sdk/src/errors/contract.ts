import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  isHex,
  toFunctionSelector,
  type Address,
  type Hex,
} from "viem";
import { CityError, walkError } from "./base";
import { cityErrorsAbi, type CityErrorArgs, type CityErrorName } from "./abi";
import { cityErrorMessages, type CityErrorContext } from "./messages";

/**
 * What {@link CityContractError} is built from.
 * @example `new CityContractError({ errorName: "CityCoinZeroAmount", args: [], functionName: "redeem" })`
 */
export interface CityContractErrorParameters<name extends CityErrorName> {
  errorName: name;
  args: CityErrorArgs<name>;
  /** The original error (usually viem's `ContractFunctionExecutionError`). */
  cause?: unknown;
  contractAddress?: Address | undefined;
  functionName?: string | undefined;
  sender?: Address | undefined;
}

/**
 * A city contract reverted with one of its custom errors: names the error and its decoded arguments, explains it in
 * one sentence and says how to fix it. `errorName` discriminates the union returned by {@link decodeCityError}, so
 * `args` is typed from the ABI once the name is checked.
 *
 * @example
 * ```ts
 * try {
 *   await city.currency.transfer({ to: stranger, amount: parseCity("1") });
 * } catch (err) {
 *   if (isCityContractError(err, "CityCoinTransferNotAllowed")) {
 *     console.log(err.args[0], err.reason); // 0x… "account 0x… is not an active member nor a city account"
 *   }
 * }
 * ```
 */
export class CityContractError<name extends CityErrorName = CityErrorName> extends CityError {
  override name = "CityContractError";
  /** The custom error, e.g. `"CityCoinTransferNotAllowed"`. */
  readonly errorName: name;
  /** Its arguments, decoded and typed from the ABI. */
  readonly args: CityErrorArgs<name>;
  /** The error's 4-byte selector. */
  readonly selector: Hex;
  /** The sentence explaining the revert (also the core of `shortMessage`). */
  readonly reason: string;
  /** How to fix it, when the SDK knows. */
  readonly hint: string | undefined;
  /** The contract called, when known. */
  readonly contractAddress: Address | undefined;
  /** The function called, when known. */
  readonly functionName: string | undefined;
  /** The account that sent (or simulated) the call, when known. */
  readonly sender: Address | undefined;

  constructor(parameters: CityContractErrorParameters<name>) {
    const { errorName, args, contractAddress, functionName, sender } = parameters;
    const context: CityErrorContext = { functionName };
    const explanation = cityErrorMessages[errorName];
    const reason = explanation.message(args, context);
    const hint = explanation.hint?.(args, context);
    const item = cityErrorsAbi.find((e) => e.name === errorName)!;
    super(`${functionName ?? "The call"} reverted: ${reason}.`, {
      cause: parameters.cause,
      details: `${errorName}(${(args as readonly unknown[]).map(formatArg).join(", ")})`,
      metaMessages: [
        ...(contractAddress ? [`Contract: ${contractAddress}`] : []),
        ...(functionName ? [`Function: ${functionName}`] : []),
        ...(sender ? [`Sender:   ${sender}`] : []),
        ...(hint ? [`${contractAddress || functionName || sender ? "\n" : ""}- ${hint}`] : []),
      ],
      name: "CityContractError",
    });
    this.errorName = errorName;
    this.args = args;
    // City errors take no tuples, so the canonical signature is the name and the input types.
    this.selector = toFunctionSelector(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`);
    this.reason = reason;
    this.hint = hint;
    this.contractAddress = contractAddress;
    this.functionName = functionName;
    this.sender = sender;
  }
}

/**
 * A {@link CityContractError} for each custom error, as a union discriminated by `errorName`.
 *
 * @example
 * ```ts
 * const err: CityContractErrorUnion | null = decodeCityError(caught);
 * if (err?.errorName === "ERC20InsufficientBalance") {
 *   const [sender, balance, needed] = err.args; // typed: Address, bigint, bigint
 * }
 * ```
 */
export type CityContractErrorUnion = { [name in CityErrorName]: CityContractError<name> }[CityErrorName];

/**
 * Turns a viem error raised by a city contract call (`ContractFunctionExecutionError` → `ContractFunctionRevertedError`)
 * into a typed {@link CityContractError}. Reverts that bubbled up from another city contract (e.g. CityCoin's
 * during a BasicIncome claim) are decoded too, against the errors of all five contracts.
 *
 * @param err Anything caught.
 * @returns The decoded error, or `null` when `err` is not a revert with a known city custom error (a string
 * reason, a panic, a network error…). A {@link CityContractError} is returned as is.
 *
 * @example
 * ```ts
 * try {
 *   await publicClient.simulateContract({ address: coin, abi: cityCoinAbi, functionName: "transfer", args, account });
 * } catch (err) {
 *   const decoded = decodeCityError(err);
 *   if (decoded) console.error(decoded.errorName, decoded.args, decoded.reason);
 *   else throw err;
 * }
 * ```
 */
export function decodeCityError(err: unknown): CityContractErrorUnion | null {
  if (err instanceof CityContractError) return err as CityContractErrorUnion;
  const reverted = walkError(err, (e) => e instanceof ContractFunctionRevertedError) as
    | ContractFunctionRevertedError
    | null;

  let decoded: { errorName: CityErrorName; args: readonly unknown[] } | null = null;
  const known = reverted?.data?.errorName;
  if (reverted?.data && known !== undefined && isCityErrorName(known)) {
    decoded = { errorName: known, args: reverted.data.args ?? [] };
  } else {
    // viem could not decode it (a revert bubbled up from another contract), or the provider's error is not a
    // JSON-RPC one (e.g. Hardhat's in-process network throws its own error carrying the revert data).
    const raw = reverted?.raw ?? findRevertData(err);
    if (raw) {
      try {
        const result = decodeErrorResult({ abi: cityErrorsAbi, data: raw });
        // viem also decodes Solidity's built-in Error(string) and Panic(uint256): not city errors.
        if (isCityErrorName(result.errorName)) decoded = { errorName: result.errorName, args: result.args ?? [] };
      } catch {
        decoded = null;
      }
    }
  }
  if (!decoded) return null;

  const execution = walkError(err, (e) => e instanceof ContractFunctionExecutionError) as
    | ContractFunctionExecutionError
    | null;
  return new CityContractError({
    errorName: decoded.errorName,
    args: decoded.args as CityErrorArgs<CityErrorName>,
    cause: err,
    contractAddress: execution?.contractAddress,
    functionName: execution?.functionName,
    sender: execution?.sender,
  }) as CityContractErrorUnion;
}

/**
 * Whether `err` is a {@link CityContractError}, optionally of the custom error `errorName` (then `err.args` is
 * typed).
 *
 * @example
 * ```ts
 * if (isCityContractError(err, "BasicIncomeAlreadyClaimed")) {
 *   const [programId, period, account] = err.args;
 * }
 * ```
 */
export function isCityContractError<name extends CityErrorName = CityErrorName>(
  err: unknown,
  errorName?: name,
): err is CityContractError<name> {
  return err instanceof CityContractError && (errorName === undefined || err.errorName === errorName);
}

/**
 * Whether `name` is a custom error of a city contract.
 *
 * @example
 * ```ts
 * isCityErrorName("CityCoinPaused"); // true
 * ```
 */
export function isCityErrorName(name: string): name is CityErrorName {
  return Object.prototype.hasOwnProperty.call(cityErrorMessages, name);
}

/**
 * The revert data carried somewhere in `err`'s cause chain, in the shapes providers use: `data: "0x…"` or
 * `data: { data: "0x…" }`. Only data long enough to hold an error selector counts.
 */
function findRevertData(err: unknown): Hex | undefined {
  let found: Hex | undefined;
  walkError(err, (e) => {
    const data = (e as { data?: unknown }).data;
    const candidate = typeof data === "object" && data !== null ? (data as { data?: unknown }).data : data;
    if (typeof candidate === "string" && isHex(candidate) && candidate.length >= 10) found = candidate;
    return found !== undefined;
  });
  return found;
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value.startsWith("0x") ? value : JSON.stringify(value);
  return String(value);
}
