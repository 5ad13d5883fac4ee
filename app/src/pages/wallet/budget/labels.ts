import type { Format, Translate } from "../../../i18n";
import { envelopeName } from "../../budget/round";
import type { ProjectJson, RoundJson } from "../../budget/types";

/** A project as a member reads it: its number, its envelope and its cost (titles live off chain, with the proposer). */
export function projectLine(t: Translate, f: Format, round: RoundJson, p: ProjectJson): string {
  return t("walletBudget.projectLine", { id: p.projectId, envelope: envelopeName(t, round, p.envelope), cost: f.euro(p.cost) });
}
