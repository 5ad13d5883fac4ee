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

/** A CityCoin amount (6 decimals) as "12.345678", for messages. */
export function euros(amount: bigint): string {
  const sign = amount < 0n ? "-" : "";
  const abs = amount < 0n ? -amount : amount;
  const cents = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${sign}${abs / 1_000_000n}${cents ? "." + cents : ""}`;
}
