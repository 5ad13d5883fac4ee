import type { CheckResult } from "../types";

export const pass = (check: string, record: string, message: string, figures?: CheckResult["figures"]): CheckResult => ({
  check,
  status: "pass",
  record,
  message,
  ...(figures ? { figures } : {}),
});

export const fail = (check: string, record: string, message: string, figures?: CheckResult["figures"]): CheckResult => ({
  check,
  status: "fail",
  record,
  message,
  ...(figures ? { figures } : {}),
});

export const skip = (check: string, record: string, message: string): CheckResult => ({ check, status: "skip", record, message });

/** A CityCoin amount (6 decimals) as "12.345678", for messages: the SDK's formatter. */
export { formatCity as euros } from "@cityledger/sdk";
