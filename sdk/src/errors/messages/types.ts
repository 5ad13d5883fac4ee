import type { CityErrorArgs, CityErrorName } from "../abi";

/**
 * What a revert's explanation may use besides the error's own arguments.
 * @example `cityErrorMessages.AccessManagedUnauthorized.message([caller], { functionName: "register" })`
 */
export interface CityErrorContext {
  /** The function that reverted, when known (e.g. `"transfer"`). */
  functionName?: string | undefined;
}

/**
 * How one custom error reads: a sentence (lower case, no final dot, so it can follow "transfer reverted: ") and,
 * where there is one, a hint that says how to fix it.
 *
 * @example
 * ```ts
 * const explain: CityErrorExplanation<"CityCoinZeroAmount"> = {
 *   message: () => "the amount is zero",
 *   hint: () => "Send a positive amount.",
 * };
 * ```
 */
export interface CityErrorExplanation<name extends CityErrorName> {
  message: (args: CityErrorArgs<name>, context: CityErrorContext) => string;
  hint?: (args: CityErrorArgs<name>, context: CityErrorContext) => string;
}

/**
 * Part of the table of explanations: each domain file explains its contract's errors, typed by the error's arguments.
 * @example `export const currencyMessages = { CityCoinZeroAmount: { message: () => "the amount is zero" } } satisfies CityErrorMessageTable;`
 */
export type CityErrorMessageTable = { readonly [name in CityErrorName]?: CityErrorExplanation<name> };
