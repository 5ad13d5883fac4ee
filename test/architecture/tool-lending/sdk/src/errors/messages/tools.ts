/** The SDK's explanations of the custom errors of ToolLending (a toy domain used by the architecture test). */
import type { CityErrorMessageTable } from "./types";

export const toolsMessages = {
  ToolLendingNotMember: {
    message: ([account]) => `account ${account} is not an active member`,
    hint: () => "Only registered, active members lend and borrow tools.",
  },
  ToolLendingUnknownTool: { message: ([toolId]) => `tool ${toolId} does not exist` },
  ToolLendingUnavailable: {
    message: ([toolId, borrower]) => `tool ${toolId} is lent to ${borrower}`,
    hint: () => "Wait until it is given back.",
  },
  ToolLendingNotBorrower: { message: ([toolId, account]) => `account ${account} does not hold tool ${toolId}` },
  ToolLendingTooManyLoans: {
    message: ([account, limit]) => `account ${account} already holds ${limit} tools`,
    hint: () => "Give a tool back first.",
  },
  ToolLendingZeroLimit: { message: () => "the loan limit is zero", hint: () => "Allow at least one loan." },
} satisfies CityErrorMessageTable;
