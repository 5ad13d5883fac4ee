/**
 * A refused write in the member's language: the relayer's problem types and the contracts' custom errors (decoded by
 * the SDK) become a sentence; never a stack trace or a hex blob. The SDK's own explanation (English) is the fallback
 * for a contract error, with its name, so a member can quote it to the city.
 */
import { CityError, isCityContractError } from "@cityledger/sdk/errors";
import { NodeProblemError } from "../../api/node";
import { catalogs } from "../../i18n/catalog";
import { RelayError } from "@cityledger/sdk/relay";
import type { MessageKey, Translate } from "../../i18n";

type Format = { dateTime: (unixSeconds: number) => string };

/**
 * `journey`: a wallet journey's own catalog (walletBudget…), whose `revert_<ErrorName>` sentences word its domain's
 * custom errors before the wallet's.
 */
export function writeErrorMessage(error: unknown, t: Translate, format: Format, journey?: keyof typeof catalogs): string {
  if (error instanceof RelayError) {
    switch (error.type) {
      case "quota-exceeded":
        return t("wallet.relay_quota-exceeded", { time: format.dateTime(Math.floor(Date.now() / 1000) + (error.retryAfter ?? 3600)) });
      case "simulation-reverted":
        return error.revert && revertKey(error.revert.name, journey)
          ? t(revertKey(error.revert.name, journey)!)
          : t("wallet.relay_simulation-reverted", { reason: error.revert?.name ?? error.shortMessage });
      case "not-a-member":
      case "rate-limited":
      case "expired":
      case "relay-unavailable":
        return t(`wallet.relay_${error.type}` as MessageKey);
      default:
        return t("wallet.relay_other", { type: error.type });
    }
  }
  // The member's own simulation reverted (before anything was signed): the contract's custom error, in words.
  if (isCityContractError(error)) {
    const key = revertKey(error.errorName, journey);
    return key ? t(key) : t("wallet.revert_other", { reason: `${error.shortMessage} (${error.errorName})` });
  }
  const message = (error as { shortMessage?: string; message?: string })?.shortMessage ?? (error as Error)?.message ?? String(error);
  // The node out of reach (a fetch that never got an answer): nothing left the page.
  if ((error instanceof NodeProblemError && error.type === "network") || (error instanceof TypeError && /fetch/i.test(message))) return t("wallet.nodeUnreachable");
  // EIP-1193 4001: the person declined in their wallet.
  if ((error as { code?: number })?.code === 4001 || /user rejected|denied/i.test(message)) return t("wallet.userRejected");
  if (error instanceof CityError) return t("wallet.unknownError", { message: error.shortMessage });
  return t("wallet.unknownError", { message });
}

/** The journey's or the wallet's sentence for this custom error, if either words it (else the SDK's English sentence is shown). */
function revertKey(errorName: string, journey: keyof typeof catalogs | undefined): MessageKey | undefined {
  for (const group of journey ? [journey, "wallet" as const] : ["wallet" as const]) {
    if (`revert_${errorName}` in catalogs[group].en) return `${group}.revert_${errorName}` as MessageKey;
  }
  return undefined;
}
