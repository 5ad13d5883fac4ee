import common from "./common";
import dashboard from "../pages/dashboard/messages";
import log from "../pages/log/messages";
import verify from "../pages/verify/messages";
import anchors from "../pages/anchors/messages";
import votes from "../pages/votes/messages";
import budget from "../pages/budget/messages";
import governance from "../pages/governance/messages";
import parking from "../pages/parking/messages";
import energy from "../pages/energy/messages";
import income from "../pages/income/messages";
import wallet from "../pages/wallet/messages";
import datause from "../pages/datause/messages";
import walletParking from "../pages/wallet/parking/messages";
import walletEnergy from "../pages/wallet/energy/messages";
import walletVotes from "../pages/wallet/votes/messages";
import walletGovernance from "../pages/wallet/governance/messages";
import walletBudget from "../pages/wallet/budget/messages";
import walletDatause from "../pages/wallet/datause/messages";

/**
 * The one list of catalogs: `common` (the shell) and one per page group. A key is `<group>.<key>`
 * (`t("log.title")`), typed from this object, so a key that does not exist is a type error.
 */
export const catalogs = { common, dashboard, log, verify, anchors, votes, budget, governance, parking, energy, income, wallet, datause, walletParking, walletEnergy, walletVotes, walletGovernance, walletBudget, walletDatause };

type Catalogs = typeof catalogs;
/** Every message key of the app, namespaced by group. */
export type MessageKey = { [G in keyof Catalogs]: `${G & string}.${keyof Catalogs[G]["en"] & string}` }[keyof Catalogs];
