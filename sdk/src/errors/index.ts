/**
 * The SDK's errors: the {@link CityError} base every error of the SDK (and of the ledger node) derives from, the
 * errors of contracts (their ABI and explanations), clients and deployment records, and {@link redactUrl} for URLs
 * shown in messages.
 */
export { CityError, type CityErrorParameters, type CityErrorType } from "./base";
export {
  CityContractError,
  decodeCityError,
  isCityContractError,
  isCityErrorName,
  type CityContractErrorParameters,
  type CityContractErrorUnion,
} from "./contract";
export { cityErrorsAbi, type CityErrorAbiItem, type CityErrorArgs, type CityErrorName } from "./abi";
export { cityErrorMessages, type CityErrorContext, type CityErrorExplanation } from "./messages";
export { AccountRequiredError, ChainMismatchError, PermitMismatchError, TransactionRevertedError, WalletClientRequiredError } from "./client";
export { ContractNotDeployedError, InvalidDeploymentError } from "./deployment";
export { redactUrl } from "./redactUrl";
export { version } from "./version";
