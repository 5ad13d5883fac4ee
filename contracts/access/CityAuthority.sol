// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {CityRoles} from "./CityRoles.sol";

/**
 * @title CityAuthority
 * @notice The one AccessManager of the city: every other city contract is AccessManaged by it, so who may do what
 * is readable in one place. Its admin starts as the deployer and is handed to the governance timelock.
 * @dev Role labels are emitted at construction (the same event {labelRole} emits) so that indexers and auditors name
 * roles from the log alone.
 *
 * @custom:city roles core
 */
contract CityAuthority is AccessManager {
    uint64 public constant REGISTRAR = CityRoles.REGISTRAR;
    uint64 public constant ISSUER = CityRoles.ISSUER;
    uint64 public constant ORCHESTRATOR = CityRoles.ORCHESTRATOR;
    uint64 public constant ARBITER = CityRoles.ARBITER;
    uint64 public constant METER_OPERATOR = CityRoles.METER_OPERATOR;
    uint64 public constant WITNESS = CityRoles.WITNESS;
    uint64 public constant RELAYER = CityRoles.RELAYER;
    uint64 public constant GUARDIAN = CityRoles.GUARDIAN;
    uint64 public constant COUNCIL = CityRoles.COUNCIL;
    uint64 public constant RESERVE_ATTESTER = CityRoles.RESERVE_ATTESTER;

    /// @param initialAdmin Holder of ADMIN_ROLE: the deployer until governance takes over.
    constructor(address initialAdmin) AccessManager(initialAdmin) {
        emit RoleLabel(REGISTRAR, "REGISTRAR");
        emit RoleLabel(ISSUER, "ISSUER");
        emit RoleLabel(ORCHESTRATOR, "ORCHESTRATOR");
        emit RoleLabel(ARBITER, "ARBITER");
        emit RoleLabel(METER_OPERATOR, "METER_OPERATOR");
        emit RoleLabel(WITNESS, "WITNESS");
        emit RoleLabel(RELAYER, "RELAYER");
        emit RoleLabel(GUARDIAN, "GUARDIAN");
        emit RoleLabel(COUNCIL, "COUNCIL");
        emit RoleLabel(RESERVE_ATTESTER, "RESERVE_ATTESTER");
    }
}
