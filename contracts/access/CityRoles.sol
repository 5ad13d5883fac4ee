// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title CityRoles
 * @notice The city's role ids, as granted in {CityAuthority}. Ids are stable: scripts, the ledger node and the SDK
 * read them from here (through the ABI of {CityAuthority}), never from a copy.
 * @dev 0 is AccessManager's ADMIN_ROLE and type(uint64).max its PUBLIC_ROLE; city roles start at 1.
 */
library CityRoles {
    uint64 internal constant REGISTRAR = 1;
    uint64 internal constant ISSUER = 2;
    uint64 internal constant ORCHESTRATOR = 3;
    uint64 internal constant ARBITER = 4;
    uint64 internal constant METER_OPERATOR = 5;
    uint64 internal constant WITNESS = 6;
    uint64 internal constant RELAYER = 7;
    /// @dev Holders of the city's emergency brake (pause of the currency).
    uint64 internal constant GUARDIAN = 8;
    /// @dev Sets fees, programs and other parameters; governance holds it once it lands.
    uint64 internal constant COUNCIL = 9;
    /// @dev Attests the euro reserve backing the currency: never the ISSUER, who would then back its own issues.
    uint64 internal constant RESERVE_ATTESTER = 10;
}
