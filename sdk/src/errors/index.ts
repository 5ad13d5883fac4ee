/**
 * `@cityledger/sdk/errors`: the SDK's error classes (one base, `CityError`, with `shortMessage`, `details`,
 * `metaMessages` and `walk()`), the decoding of the city contracts' custom errors into `CityContractError`s, and the
 * explanation of each custom error (one message file per domain).
 * @packageDocumentation
 */
export { CityError, walkError, type CityErrorParameters, type CityErrorType } from "./base";
export {
  CityContractError,
  decodeCityError,
  isCityContractError,
  isCityErrorName,
  type CityContractErrorParameters,
  type CityContractErrorUnion,
} from "./contract";
export { cityErrorsAbi, type CityErrorAbiItem, type CityErrorArgs, type CityErrorName } from "./abi";
export { cityErrorMessages, type CityErrorContext, type CityErrorExplanation, type CityErrorMessageTable } from "./messages";
export { redactUrl } from "./redactUrl";
export { AccountRequiredError, ChainMismatchError, PermitMismatchError, TransactionRevertedError, WalletClientRequiredError } from "./client";
export { ContractNotDeployedError, InvalidDeploymentError } from "./deployment";
export { version } from "./version";
