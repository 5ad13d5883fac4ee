import type { CityContext } from "../../types";
import { cancelMigration, type CancelMigrationParameters, type CancelMigrationReturnType } from "../../actions/members/cancelMigration";
import { approveMigration, type ApproveMigrationParameters, type ApproveMigrationReturnType } from "../../actions/members/approveMigration";
import { completeMigration, type CompleteMigrationParameters, type CompleteMigrationReturnType } from "../../actions/members/completeMigration";
import { getCollegeSize, type GetCollegeSizeParameters, type GetCollegeSizeReturnType } from "../../actions/members/getCollegeSize";
import { getMember, type GetMemberParameters, type GetMemberReturnType } from "../../actions/members/getMember";
import { getMigration, type GetMigrationParameters, type GetMigrationReturnType } from "../../actions/members/getMigration";
import { getPastProfile, type GetPastProfileParameters, type GetPastProfileReturnType } from "../../actions/members/getPastProfile";
import { getPastVotes, type GetPastVotesParameters, type GetPastVotesReturnType } from "../../actions/members/getPastVotes";
import { getVotes, type GetVotesParameters, type GetVotesReturnType } from "../../actions/members/getVotes";
import { isActiveMember, type IsActiveMemberParameters, type IsActiveMemberReturnType } from "../../actions/members/isActiveMember";
import { register, type RegisterParameters, type RegisterReturnType } from "../../actions/members/register";
import { reinstate, type ReinstateParameters, type ReinstateReturnType } from "../../actions/members/reinstate";
import { remove, type RemoveParameters, type RemoveReturnType } from "../../actions/members/remove";
import { startMigration, type StartMigrationParameters, type StartMigrationReturnType } from "../../actions/members/startMigration";
import { suspend, type SuspendParameters, type SuspendReturnType } from "../../actions/members/suspend";
import { update, type UpdateParameters, type UpdateReturnType } from "../../actions/members/update";

/**
 * The membership actions (CityRegistry), bound to a city client: `city.members.getMember({ address })`.
 *
 * @example
 * ```ts
 * const members: MembersActions = city.members;
 * await members.register({ member, college: 1, district: 3, flags: memberFlags.RESIDENT, credentialHash });
 * ```
 */
export interface MembersActions {
  /** {@link getMember} */
  getMember: (parameters: GetMemberParameters) => Promise<GetMemberReturnType>;
  /** {@link isActiveMember} */
  isActiveMember: (parameters: IsActiveMemberParameters) => Promise<IsActiveMemberReturnType>;
  /** {@link getVotes} */
  getVotes: (parameters: GetVotesParameters) => Promise<GetVotesReturnType>;
  /** {@link getPastVotes} */
  getPastVotes: (parameters: GetPastVotesParameters) => Promise<GetPastVotesReturnType>;
  /** {@link getPastProfile} */
  getPastProfile: (parameters: GetPastProfileParameters) => Promise<GetPastProfileReturnType>;
  /** {@link getCollegeSize} */
  getCollegeSize: (parameters: GetCollegeSizeParameters) => Promise<GetCollegeSizeReturnType>;
  /** {@link getMigration} */
  getMigration: (parameters: GetMigrationParameters) => Promise<GetMigrationReturnType>;
  /** {@link register} (REGISTRAR) */
  register: (parameters: RegisterParameters) => Promise<RegisterReturnType>;
  /** {@link update} (REGISTRAR) */
  update: (parameters: UpdateParameters) => Promise<UpdateReturnType>;
  /** {@link suspend} (REGISTRAR) */
  suspend: (parameters: SuspendParameters) => Promise<SuspendReturnType>;
  /** {@link reinstate} (REGISTRAR) */
  reinstate: (parameters: ReinstateParameters) => Promise<ReinstateReturnType>;
  /** {@link remove} (REGISTRAR) */
  remove: (parameters: RemoveParameters) => Promise<RemoveReturnType>;
  /** {@link startMigration} (REGISTRAR) */
  startMigration: (parameters: StartMigrationParameters) => Promise<StartMigrationReturnType>;
  /** {@link cancelMigration} (the member's old key, or ORCHESTRATOR) */
  cancelMigration: (parameters: CancelMigrationParameters) => Promise<CancelMigrationReturnType>;
  /** {@link approveMigration} (the member's old key, or the ORCHESTRATOR other than the registrar who started it) */
  approveMigration: (parameters: ApproveMigrationParameters) => Promise<ApproveMigrationReturnType>;
  /** {@link completeMigration} (anyone, once approved and due) */
  completeMigration: (parameters: CompleteMigrationParameters) => Promise<CompleteMigrationReturnType>;
}

/**
 * Binds the membership actions to `context`.
 *
 * @example
 * ```ts
 * const members = membersActions({ publicClient, walletClient, addresses: deployment.addresses });
 * await members.isActiveMember({ address: "0x…" });
 * ```
 */
export function membersActions(context: CityContext): MembersActions {
  return {
    getMember: (parameters) => getMember(context, parameters),
    isActiveMember: (parameters) => isActiveMember(context, parameters),
    getVotes: (parameters) => getVotes(context, parameters),
    getPastVotes: (parameters) => getPastVotes(context, parameters),
    getPastProfile: (parameters) => getPastProfile(context, parameters),
    getCollegeSize: (parameters) => getCollegeSize(context, parameters),
    getMigration: (parameters) => getMigration(context, parameters),
    register: (parameters) => register(context, parameters),
    update: (parameters) => update(context, parameters),
    suspend: (parameters) => suspend(context, parameters),
    reinstate: (parameters) => reinstate(context, parameters),
    remove: (parameters) => remove(context, parameters),
    startMigration: (parameters) => startMigration(context, parameters),
    cancelMigration: (parameters) => cancelMigration(context, parameters),
    approveMigration: (parameters) => approveMigration(context, parameters),
    completeMigration: (parameters) => completeMigration(context, parameters),
  };
}
