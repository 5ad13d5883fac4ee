// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IBasicIncome
 * @notice The minimum-income experiment: programs pay an allowance per period to eligible members, from a budget
 * funded in CityCoin, never promising more than the budget holds.
 */
interface IBasicIncome {
    /// @dev Parameters fit into one slot (read by every claim); money into a second.
    struct Program {
        uint48 start;
        uint32 periodLength;
        uint32 periodCount;
        uint16 collegeMask;
        uint8 flagBit;
        uint96 amountPerPeriod;
        uint128 funded;
        uint128 spent;
        uint32 openPeriods;
    }

    /// @dev One slot: what a period pays and to how many.
    struct Period {
        uint96 amount;
        uint32 eligible;
        uint32 claimed;
        bool opened;
        bool settled;
    }

    event ProgramCreated(
        uint256 indexed programId,
        uint16 collegeMask,
        uint8 flagBit,
        uint48 start,
        uint32 periodLength,
        uint32 periodCount,
        uint96 amountPerPeriod
    );
    event ProgramFunded(uint256 indexed programId, address indexed funder, uint256 amount);
    event ProgramAmountSet(uint256 indexed programId, uint96 amountPerPeriod);
    event ProgramEnded(uint256 indexed programId, uint32 periodCount);
    event ProgramWithdrawn(uint256 indexed programId, address indexed to, uint256 amount);
    event PeriodOpened(uint256 indexed programId, uint32 indexed period, uint96 amount, uint32 eligible, uint48 snapshot);
    event PeriodSettled(uint256 indexed programId, uint32 indexed period, uint32 claimed, uint256 paid);
    event IncomeClaimed(uint256 indexed programId, uint32 indexed period, address indexed account, uint96 amount);
    /// @notice The membership of `from` moved to `to` (key recovery): claims under `to` count as the membership's.
    event ClaimsFollowed(address indexed from, address indexed to);

    error BasicIncomeUnknownProgram(uint256 programId);
    error BasicIncomeInvalidSchedule(uint48 start, uint32 periodLength, uint32 periodCount);
    error BasicIncomeEmptyEligibility();
    error BasicIncomeFlagOutOfRange(uint8 flagBit, uint8 max);
    error BasicIncomeZeroAmount();
    error BasicIncomeNotStarted(uint256 programId, uint48 start);
    error BasicIncomeEnded(uint256 programId);
    error BasicIncomeNotEnded(uint256 programId, uint256 endsAt);
    error BasicIncomeNotEligible(uint256 programId, uint32 period, address account);
    error BasicIncomeAlreadyClaimed(uint256 programId, uint32 period, address account);
    error BasicIncomeBudgetExhausted(uint256 programId, uint32 period);
    error BasicIncomeZeroAddress();
    error BasicIncomeNotRegistry(address caller);

    /// @notice Claims the caller's allowance for the current period of `programId`.
    function claim(uint256 programId) external returns (uint256 amount);
}
