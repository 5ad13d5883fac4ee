import type { CityContext } from "../../types";
import { getConsent, type GetConsentParameters, type GetConsentReturnType } from "../../actions/datause/getConsent";
import { getProcessor, type GetProcessorParameters, type GetProcessorReturnType } from "../../actions/datause/getProcessor";
import { getPurpose, type GetPurposeParameters, type GetPurposeReturnType } from "../../actions/datause/getPurpose";
import { getPurposes, type GetPurposesParameters, type GetPurposesReturnType } from "../../actions/datause/getPurposes";
import { grantConsent, type GrantConsentParameters, type GrantConsentReturnType } from "../../actions/datause/grantConsent";
import { withdrawConsent, type WithdrawConsentParameters, type WithdrawConsentReturnType } from "../../actions/datause/withdrawConsent";
import { getMyAccesses, type GetMyAccessesParameters, type GetMyAccessesReturnType } from "../../actions/datause/getMyAccesses";
import { getMemberPurposes, type GetMemberPurposesParameters, type GetMemberPurposesReturnType } from "../../actions/datause/getMemberPurposes";
import { getBulletin, type GetBulletinParameters, type GetBulletinReturnType } from "../../actions/datause/getBulletin";
import { submitAccessRecords, type SubmitAccessRecordsParameters, type SubmitAccessRecordsReturnType } from "../../actions/datause/submitAccessRecords";

/** The data-use actions (DataUseRegistry), bound to a city client: `city.datause.grantConsent({ purposeId })`. */
export interface DatauseActions {
  grantConsent: (parameters: GrantConsentParameters) => Promise<GrantConsentReturnType>;
  withdrawConsent: (parameters: WithdrawConsentParameters) => Promise<WithdrawConsentReturnType>;
  getConsent: (parameters: GetConsentParameters) => Promise<GetConsentReturnType>;
  getProcessor: (parameters: GetProcessorParameters) => Promise<GetProcessorReturnType>;
  getPurpose: (parameters: GetPurposeParameters) => Promise<GetPurposeReturnType>;
  getPurposes: (parameters?: GetPurposesParameters) => Promise<GetPurposesReturnType>;
  getMyAccesses: (parameters: GetMyAccessesParameters) => Promise<GetMyAccessesReturnType>;
  getMemberPurposes: (parameters: GetMemberPurposesParameters) => Promise<GetMemberPurposesReturnType>;
  getBulletin: (parameters: GetBulletinParameters) => Promise<GetBulletinReturnType>;
  submitAccessRecords: (parameters: SubmitAccessRecordsParameters) => Promise<SubmitAccessRecordsReturnType>;
}

/** Binds the data-use actions to `context`. @example `datauseActions(context).getPurposes()` */
export function datauseActions(context: CityContext): DatauseActions {
  return {
    grantConsent: (parameters) => grantConsent(context, parameters),
    withdrawConsent: (parameters) => withdrawConsent(context, parameters),
    getConsent: (parameters) => getConsent(context, parameters),
    getProcessor: (parameters) => getProcessor(context, parameters),
    getPurpose: (parameters) => getPurpose(context, parameters),
    getPurposes: (parameters) => getPurposes(context, parameters),
    getMyAccesses: (parameters) => getMyAccesses(context, parameters),
    getMemberPurposes: (parameters) => getMemberPurposes(context, parameters),
    getBulletin: (parameters) => getBulletin(context, parameters),
    submitAccessRecords: (parameters) => submitAccessRecords(context, parameters),
  };
}
