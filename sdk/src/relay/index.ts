/**
 * `@cityledger/sdk/relay`: gasless writes — members sign ERC-2771 `ForwardRequest`s (or ERC-2612 permits) and the
 * ledger node's relayer submits them; the EIP-712 types the node checks signatures against.
 * @packageDocumentation
 */
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
