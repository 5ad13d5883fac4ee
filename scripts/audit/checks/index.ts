/**
 * The audit's checks, in the order they run and are reported. Each is a plug-in ({@link AuditCheck}): to audit a new
 * domain (ballot tallies, governance results per college), write one and add it here.
 */
import type { AuditCheck } from "../types";
import { anchorsCheck, checkpointCheck, entriesCheck, nodeKeyCheck, projectionsCheck } from "./log";
import { accountsAnswerCheck, currencyCheck, energyCheck, incomeCheck, parkingCheck, reserveCheck } from "./money";
import { ballotsCheck } from "./ballots";
import { governanceCheck } from "./governance";
import { budgetCheck, budgetEscrowCheck } from "./budget";
import { datauseCheck } from "./datause";

export const DEFAULT_CHECKS: readonly AuditCheck[] = [
  checkpointCheck,
  anchorsCheck,
  nodeKeyCheck,
  entriesCheck,
  projectionsCheck,
  accountsAnswerCheck,
  currencyCheck,
  reserveCheck,
  incomeCheck,
  parkingCheck,
  energyCheck,
  ballotsCheck,
  budgetCheck,
  budgetEscrowCheck,
  governanceCheck,
  datauseCheck,
];

export { datauseCheck, accountsAnswerCheck, ballotsCheck, budgetCheck, budgetEscrowCheck, governanceCheck, anchorsCheck, checkpointCheck, entriesCheck, nodeKeyCheck, projectionsCheck, currencyCheck, energyCheck, incomeCheck, parkingCheck, reserveCheck };
