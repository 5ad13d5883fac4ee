// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityBallots} from "./ICityBallots.sol";

/**
 * @title BallotResults
 * @notice The sums behind {CityBallots}' results, as an external library (its code lives beside CityBallots', which
 * stays under EIP-170's size limit; it runs in CityBallots' storage and its events are CityBallots' own).
 *
 * A ballot's counters sit in one slot per (option, district, college group of 8), eight 32-bit counters each (see
 * {CityBallots}). Summing them reads (districts voted in) x (options + 1) slots: about 14,000 for a 64-option
 * consultation voted in 220 districts, more than a block holds. So finalization runs in pages of districts: each page
 * emits its districts' results and adds their college rows to per-ballot running sums (`sums`, keyed
 * `option << 1 | group`, the same eight 32-bit counters per slot); the last step sums what is left, adds the running
 * sums and emits the totals and the college results. The counters no longer change once a ballot is closed, so the
 * pages add up to the one-shot sum.
 */
library BallotResults {
    /// @dev A ballot's counter storage, as {CityBallots} keeps it.
    struct Counters {
        mapping(uint256 cell => uint256 counters) cells;
        mapping(uint32 district => uint8 groups) groups;
        uint32[] votedDistricts;
    }

    /// @notice Pseudo-option counting voters, in ballots where option counts do not (approval, sealed).
    uint256 internal constant TURNOUT = 255;
    /// @dev {CityBallots}' mode bits.
    uint8 private constant _SEALED = 1;
    uint8 private constant _BINDING = 2;
    uint8 private constant _APPROVAL = 4;
    uint256 private constant _BPS = 10_000;

    /**
     * @notice Sums districts `[from, to)` of the ballot's voted districts: per college (16 rows) and per district, each
     * row with the turnout at index `n` (the {TURNOUT} counters when `tracked`, else the option sum).
     */
    function sum(
        Counters storage k,
        uint256 from,
        uint256 to,
        uint256 n,
        bool tracked
    ) public view returns (uint256[][] memory byCollege, uint256[][] memory byDistrict) {
        byCollege = new uint256[][](16);
        for (uint256 i = 0; i < 16; ++i) byCollege[i] = new uint256[](n + 1);
        byDistrict = new uint256[][](to - from);
        for (uint256 d = from; d < to; ++d) {
            byDistrict[d - from] = _sumDistrict(k, k.votedDistricts[d], n, tracked, byCollege);
        }
    }

    /**
     * @notice Emits the results of districts `[from, to)` and adds their college rows to `sums` (a finalization
     * page).
     */
    function page(
        Counters storage k,
        mapping(uint256 key => uint256) storage sums,
        uint256 ballotId,
        uint256 from,
        uint256 to,
        uint256 n,
        bool tracked
    ) external {
        (uint256[][] memory byCollege, uint256[][] memory byDistrict) = sum(k, from, to, n, tracked);
        _emitDistricts(k, ballotId, from, n, byDistrict);
        for (uint256 o = 0; o <= n; ++o) {
            for (uint256 g = 0; g < 2; ++g) {
                uint256 word = 0;
                for (uint256 c = 0; c < 8; ++c) word |= byCollege[g * 8 + c][o] << (c * 32);
                // Overflow not possible in any 32-bit lane: a lane counts distinct members of one college.
                if (word != 0) sums[(o << 1) | g] += word;
            }
        }
    }

    /**
     * @notice The last finalization step: emits the results of districts `[from, votedDistricts.length)`, then the
     * totals and each electorate college's result, with the running sums of earlier pages added.
     * @param c The ballot's configuration (its `mode` bits as {CityBallots} sets them); `t` its tally.
     */
    function complete(
        Counters storage k,
        mapping(uint256 key => uint256) storage sums,
        uint256 ballotId,
        uint256 from,
        ICityBallots.BallotConfig calldata c,
        ICityBallots.BallotTally calldata t
    ) external {
        uint256 n = c.optionCount;
        (uint256[][] memory byCollege, uint256[][] memory byDistrict) = sum(
            k,
            from,
            k.votedDistricts.length,
            n,
            c.mode & (_SEALED | _APPROVAL) != 0
        );
        uint256[] memory totals = new uint256[](n + 1);
        for (uint256 o = 0; o <= n; ++o) {
            for (uint256 g = 0; from != 0 && g < 2; ++g) {
                uint256 word = sums[(o << 1) | g];
                for (uint256 college = g * 8; word != 0; ++college) {
                    byCollege[college][o] += uint32(word);
                    word >>= 32;
                }
            }
            for (uint256 college = 0; college < 16; ++college) totals[o] += byCollege[college][o];
        }
        _emitDistricts(k, ballotId, from, n, byDistrict);
        _emitTotals(ballotId, c, t, totals);
        for (uint8 college = 0; college < 16; ++college) {
            if (c.collegeMask & (uint16(1) << college) == 0) continue;
            emit ICityBallots.BallotCollegeResult(ballotId, college, byCollege[college][n], _head(byCollege[college], n));
        }
    }

    /// @dev The totals event: turnout counts every voter, `counted` those whose choice is counted (sealed: revealed).
    function _emitTotals(
        uint256 ballotId,
        ICityBallots.BallotConfig memory c,
        ICityBallots.BallotTally memory t,
        uint256[] memory totals
    ) private {
        uint256 n = c.optionCount;
        uint256 turnout = totals[n];
        bool quorumMet = c.kind == ICityBallots.BallotKind.Petition
            ? t.reached
            : turnout * _BPS >= uint256(t.thresholdBps) * t.electorate;
        emit ICityBallots.BallotFinalized(
            ballotId,
            c.kind,
            c.mode & _BINDING != 0,
            t.electorate,
            turnout,
            c.mode & _SEALED != 0 ? t.revealed : turnout,
            t.thresholdBps,
            quorumMet,
            _head(totals, n)
        );
    }

    function _emitDistricts(
        Counters storage k,
        uint256 ballotId,
        uint256 from,
        uint256 n,
        uint256[][] memory byDistrict
    ) private {
        for (uint256 i = 0; i < byDistrict.length; ++i) {
            uint256[] memory row = byDistrict[i];
            emit ICityBallots.BallotDistrictResult(ballotId, k.votedDistricts[from + i], row[n], _head(row, n));
        }
    }

    /// @dev One district's row (see {sum}), adding its counters to the college rows on the way.
    function _sumDistrict(
        Counters storage k,
        uint32 district,
        uint256 n,
        bool tracked,
        uint256[][] memory byCollege
    ) private view returns (uint256[] memory row) {
        row = new uint256[](n + 1);
        uint8 groups = k.groups[district];
        for (uint256 g = 0; g < 2; ++g) {
            if (groups & (uint256(1) << g) == 0) continue;
            for (uint256 o = 0; o <= n; ++o) {
                if (o == n && !tracked) break;
                uint256 counters = k.cells[_cellKey(o == n ? TURNOUT : o, district, g * 8)];
                for (uint256 college = g * 8; counters != 0; ++college) {
                    uint256 count = uint32(counters);
                    counters >>= 32;
                    row[o] += count;
                    byCollege[college][o] += count;
                    if (!tracked) {
                        row[n] += count;
                        byCollege[college][n] += count;
                    }
                }
            }
        }
    }

    /// @dev See {CityBallots}: key = option << 40 | district << 8 | college >> 3.
    function _cellKey(uint256 option, uint32 district, uint256 college) private pure returns (uint256) {
        return (option << 40) | (uint256(district) << 8) | (college >> 3);
    }

    /// @dev The first `n` entries of `row` (its options, without the turnout).
    function _head(uint256[] memory row, uint256 n) private pure returns (uint256[] memory head) {
        head = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) head[i] = row[i];
    }
}
