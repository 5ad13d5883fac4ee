/** Gasless requests: members sign ERC-2771 forward requests (and permits), a ledger node's relayer sends them. */
export {
  RelayError,
  getRelayStatus,
  postRelay,
  signForwardRequest,
  waitForRelay,
  type ForwardRequestBody,
  type RelayBody,
  type RelayProblemType,
  type RelayRecord,
  type SignForwardRequestParameters,
} from "./relay";
export { forwardRequestTypes, permitTypes } from "./typedData";
