/** The SDK's explanations of the custom errors of BasicIncome: the minimum-income programs. */
import type { CityErrorMessageTable } from "./types";
import { time } from "./format";

/**
 * How the custom errors of BasicIncome read (see `CityErrorExplanation`).
 * @example `incomeMessages.BasicIncomeUnknownProgram.message(args, {})`
 */
export const incomeMessages = {
  BasicIncomeUnknownProgram: {
    message: ([programId]) => `income program ${programId} does not exist`,
    hint: () => "Program ids start at 1; read the number of programs with getProgramCount().",
  },
  BasicIncomeInvalidSchedule: {
    message: ([start, periodLength, periodCount]) =>
      `the schedule (start ${time(start)}, ${periodCount} periods of ${periodLength} s) is invalid`,
    hint: () => "Start no earlier than now, with periods of at least one hour and at least one period.",
  },
  BasicIncomeEmptyEligibility: {
    message: () => "the program names no eligible college",
    hint: () => "Set at least one bit of collegeMask (bit i = college i).",
  },
  BasicIncomeFlagOutOfRange: {
    message: ([flagBit, max]) => `flag bit ${flagBit} is out of range (at most ${max})`,
    hint: () => "Use flagBit 0 for no flag requirement, else 1 + the bit of the required member flag.",
  },
  BasicIncomeZeroAmount: {
    message: () => "the amount is zero",
    hint: () => "Use a positive amount.",
  },
  BasicIncomeNotStarted: {
    message: ([programId, start]) => `income program ${programId} starts at ${time(start)}`,
    hint: () => "Claims open with the program's first period.",
  },
  BasicIncomeEnded: {
    message: ([programId]) => `income program ${programId} has ended`,
  },
  BasicIncomeNotEnded: {
    message: ([programId, endsAt]) => `income program ${programId} runs until ${time(endsAt)}`,
    hint: () => "Withdraw the remaining budget once the program has ended.",
  },
  BasicIncomeNotEligible: {
    message: ([programId, period, account]) =>
      `account ${account} is not eligible for period ${period} of income program ${programId}`,
    hint: () =>
      "Eligibility is read at the second before the period starts: the member must have been active then, in one of the program's colleges (and carry its flag).",
  },
  BasicIncomeAlreadyClaimed: {
    message: ([programId, period, account]) =>
      `account ${account} already claimed period ${period} of income program ${programId}`,
    hint: () => "One claim per member per period; the next period opens after this one ends.",
  },
  BasicIncomeBudgetExhausted: {
    message: ([programId, period]) => `period ${period} of income program ${programId} has no budget left`,
    hint: () => "The council must fund() the program before the next period opens.",
  },
  BasicIncomeZeroAddress: {
    message: () => "the zero address is not allowed here",
  },
  BasicIncomeNotRegistry: {
    message: ([caller]) => `${caller} is not the city's registry: only it reports membership changes`,
  },
} satisfies CityErrorMessageTable;
