// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {CityRoles} from "../access/CityRoles.sol";
import {ICityGovernor} from "./ICityGovernor.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ICityCharter} from "./ICityCharter.sol";

/**
 * @title CityCharter
 * @notice The charter of the city's collegial governance, on chain and versioned: {CityGovernor} counts each proposal
 * under the version current when it was created; {CitizensVeto} reads the veto rule of that version. Replaced only by
 * governance (the timelock), and a proposal targeting this contract needs the super-majority.
 *
 * Bounds, each failure reverting with the error named after it: 3 to 16 colleges (the cooperative rule of at least
 * three colleges), ids strictly ascending and below 16; each weighing 10%–50%; weights summing to exactly 100%;
 * quorums in (0, 100%]; approval threshold in [50%, 99.99%]; super-majority in [max(approval, 66.66%), 99.99%];
 * co-signature share in (0, 100%]; the veto college one of the charter's; veto threshold in [5%, 100%]. A charter
 * set by governance must name only colleges with active members now ({CityCharterEmptyCollege}); the first one,
 * set at deployment, may name empty colleges (a city deploys before registering anyone), but no proposal can be made
 * while one is empty, and a college with no member at a proposal's snapshot never reaches its quorum.
 *
 * Which proposals are constitutional (need the super-majority) is the charter's to say ({isConstitutional}): any call
 * that needs ADMIN — in CityAuthority, or in a contract it manages — and granting or revoking a constitutional role.
 * The constitutional roles are every role but ARBITER and RELAYER unless a constitutional proposal changes the set
 * ({setConstitutionalRoles}); ADMIN and role ids of 256 and above always are. The charter may also name single
 * functions constitutional ({setConstitutionalCall}), such as a COUNCIL function that hands out a constitutional
 * role's power (LedgerAnchor's witness set, by default).
 *
 * Storage: a charter is one header slot plus one slot per college; the constitutional roles one slot.
 *
 * @custom:city governance
 */
contract CityCharter is ICityCharter {
    uint256 public constant MIN_COLLEGES = 3;
    uint8 public constant MAX_COLLEGES = 16;
    uint16 public constant MIN_WEIGHT_BPS = 1_000;
    uint16 public constant MAX_WEIGHT_BPS = 5_000;
    uint16 public constant MIN_APPROVAL_BPS = 5_000;
    uint16 public constant MAX_THRESHOLD_BPS = 9_999;
    uint16 public constant MIN_SUPER_MAJORITY_BPS = 6_666;
    uint16 public constant MIN_VETO_BPS = 500;
    uint16 private constant _BPS = 10_000;
    /// @notice The constitutional roles a city starts with: every role id below 256 but ARBITER and RELAYER.
    uint256 public constant DEFAULT_CONSTITUTIONAL_ROLES =
        type(uint256).max ^ ((1 << CityRoles.ARBITER) | (1 << CityRoles.RELAYER));

    struct Rule {
        uint16 weightBps;
        uint16 quorumBps;
    }

    address private immutable _governance;
    ICityRegistry private immutable _registry;
    uint32 private _version;
    mapping(uint32 v => Header) private _headers;
    mapping(uint32 v => mapping(uint8 college => Rule)) private _rules;
    uint256 private _constitutionalRoles;
    mapping(address target => mapping(bytes4 selector => bool)) private _constitutionalCalls;

    /**
     * @param governance_ The only caller of {setCharter}: the governance timelock.
     * @param registry_ The city's {CityRegistry} (college sizes).
     * @param initialCharter Version 1.
     * @param initialCalls Calls named constitutional from the start (besides the rules that need no naming).
     */
    constructor(
        address governance_,
        ICityRegistry registry_,
        Charter memory initialCharter,
        ConstitutionalCall[] memory initialCalls
    ) {
        _governance = governance_;
        _registry = registry_;
        _set(initialCharter);
        _setConstitutionalRoles(DEFAULT_CONSTITUTIONAL_ROLES);
        for (uint256 i = 0; i < initialCalls.length; ++i) {
            _setConstitutionalCall(initialCalls[i].target, initialCalls[i].selector, true);
        }
    }

    /// @notice The only caller of {setCharter}.
    function governance() external view returns (address) {
        return _governance;
    }

    /// @inheritdoc ICityCharter
    function setCharter(Charter calldata newCharter) external {
        _onlyGovernance();
        _set(newCharter);
        requirePopulated();
    }

    /// @inheritdoc ICityCharter
    function setConstitutionalRoles(uint256 roles) external {
        _onlyGovernance();
        _setConstitutionalRoles(roles);
    }

    /// @inheritdoc ICityCharter
    function constitutionalRoles() external view returns (uint256) {
        return _constitutionalRoles;
    }

    /// @inheritdoc ICityCharter
    function setConstitutionalCall(address target, bytes4 selector, bool constitutional) external {
        _onlyGovernance();
        _setConstitutionalCall(target, selector, constitutional);
    }

    /// @inheritdoc ICityCharter
    function isConstitutionalCall(address target, bytes4 selector) external view returns (bool) {
        return _constitutionalCalls[target][selector];
    }

    /// @inheritdoc ICityCharter
    function isConstitutional(address[] calldata targets, bytes[] calldata calldatas) external view returns (bool) {
        // The city's one authority, as its registry names it (moving the registry elsewhere is constitutional).
        address authority = IAccessManaged(address(_registry)).authority();
        for (uint256 i = 0; i < targets.length; ++i) {
            address target = targets[i];
            bytes calldata data = calldatas[i];
            if (target == address(this) || target == _governance) return true;
            if (target == authority) {
                if (_authorityCallIsConstitutional(data)) return true;
            } else if (data.length >= 4 && _constitutionalCalls[target][bytes4(data)]) {
                return true;
            } else if (data.length >= 4 && _managedBy(target, authority)) {
                (bool ok, uint64 role) = _targetFunctionRole(authority, target, bytes4(data));
                if (!ok || role == 0) return true;
            }
        }
        return false;
    }

    /// @inheritdoc ICityCharter
    function version() external view returns (uint32) {
        return _version;
    }

    /// @inheritdoc ICityCharter
    function charter(uint32 v) external view returns (Charter memory c) {
        Header memory h = _headers[v];
        c.colleges = new CollegeRule[](_popcount(h.collegeMask));
        uint256 i;
        for (uint8 college = 0; college < MAX_COLLEGES; ++college) {
            if (h.collegeMask & (1 << college) == 0) continue;
            Rule memory r = _rules[v][college];
            c.colleges[i++] = CollegeRule(college, r.weightBps, r.quorumBps);
        }
        c.approvalThresholdBps = h.approvalThresholdBps;
        c.superMajorityBps = h.superMajorityBps;
        c.cosignShareBps = h.cosignShareBps;
        c.vetoCollege = h.vetoCollege;
        c.vetoThresholdBps = h.vetoThresholdBps;
    }

    /// @inheritdoc ICityCharter
    function header(uint32 v) external view returns (Header memory) {
        return _headers[v];
    }

    /// @inheritdoc ICityCharter
    function current() external view returns (uint32 v, uint16 collegeMask) {
        v = _version;
        collegeMask = _headers[v].collegeMask;
    }

    /// @inheritdoc ICityCharter
    function packedRules(uint32 v) external view returns (uint256 weights, uint256 quorums) {
        uint16 mask = _headers[v].collegeMask;
        for (uint8 c = 0; c < MAX_COLLEGES; ++c) {
            if (mask & (1 << c) == 0) continue;
            Rule memory r = _rules[v][c];
            weights |= uint256(r.weightBps) << (16 * c);
            quorums |= uint256(r.quorumBps) << (16 * c);
        }
    }

    /// @inheritdoc ICityCharter
    function requirePopulated() public view returns (uint32 v, uint16 mask) {
        v = _version;
        mask = _headers[v].collegeMask;
        // Colleges above the highest bit of the mask are not in the charter: the loop stops there.
        for (uint8 c = 0; mask >> c != 0; ++c) {
            if (mask & (1 << c) != 0 && _registry.getCollegeSize(c) == 0) revert CityCharterEmptyCollege(c);
        }
    }

    /// @inheritdoc ICityCharter
    function checkCosigners(
        bytes32 digest,
        address proposer,
        ICityGovernor.Cosignatures calldata cosigned
    ) external view {
        address[] calldata cosigners = cosigned.cosigners;
        if (cosigners.length != cosigned.signatures.length) {
            revert ICityGovernor.CityGovernorCosignLengthMismatch(cosigners.length, cosigned.signatures.length);
        }
        if (block.timestamp > cosigned.deadline) revert ICityGovernor.CityGovernorCosignatureExpired(cosigned.deadline);
        uint256 timepoint = block.timestamp - 1;
        IVotes votes = IVotes(address(_registry));
        if (votes.getPastVotes(proposer, timepoint) == 0) revert ICityGovernor.CityGovernorNotAMember(proposer);
        address previous;
        for (uint256 i = 0; i < cosigners.length; ++i) {
            address cosigner = cosigners[i];
            if (cosigner <= previous) revert ICityGovernor.CityGovernorCosignersNotAscending(cosigner);
            if (cosigner == proposer) revert ICityGovernor.CityGovernorDuplicateSigner(cosigner);
            if (votes.getPastVotes(cosigner, timepoint) == 0) revert ICityGovernor.CityGovernorNotAMember(cosigner);
            if (!SignatureChecker.isValidSignatureNowCalldata(cosigner, digest, cosigned.signatures[i])) {
                revert ICityGovernor.CityGovernorInvalidCosignature(cosigner);
            }
            previous = cosigner;
        }
        uint256 signers = cosigners.length + 1;
        uint256 members = votes.getPastTotalSupply(timepoint);
        uint256 share = _headers[_version].cosignShareBps;
        if (signers * _BPS < share * members) {
            revert ICityGovernor.CityGovernorNotEnoughCosigners(signers, (share * members + _BPS - 1) / _BPS);
        }
    }

    /**
     * @dev A call to CityAuthority is ordinary only when it labels a role, or grants or revokes a role that is not
     * constitutional; anything else (rewiring functions, delays, guardians, admins, closing a target, moving a
     * contract to another authority, executing through the authority, a short call) changes powers.
     */
    function _authorityCallIsConstitutional(bytes calldata data) private view returns (bool) {
        if (data.length < 4) return true;
        bytes4 selector = bytes4(data);
        if (selector == IAccessManager.labelRole.selector) return false;
        if (selector != IAccessManager.grantRole.selector && selector != IAccessManager.revokeRole.selector) return true;
        if (data.length < 36) return true;
        uint256 roleId = uint256(bytes32(data[4:36]));
        return roleId == 0 || roleId > type(uint8).max || (_constitutionalRoles >> roleId) & 1 == 1;
    }

    /// @dev Whether `target` says `authority` manages it. A target that reverts, returns nothing or lies is not
    /// managed: a lie can only make its own proposal need more votes, never fewer.
    function _managedBy(address target, address authority) private view returns (bool) {
        (bool ok, bytes memory ret) = target.staticcall(abi.encodeCall(IAccessManaged.authority, ()));
        return ok && ret.length == 32 && abi.decode(ret, (address)) == authority;
    }

    /// @dev The role `authority` wires `selector` of `target` to (ok = false if the authority did not answer).
    function _targetFunctionRole(
        address authority,
        address target,
        bytes4 selector
    ) private view returns (bool ok, uint64 role) {
        try IAccessManager(authority).getTargetFunctionRole(target, selector) returns (uint64 r) {
            return (true, r);
        } catch {
            return (false, 0);
        }
    }

    function _setConstitutionalCall(address target, bytes4 selector, bool constitutional) private {
        _constitutionalCalls[target][selector] = constitutional;
        emit ConstitutionalCallSet(target, selector, constitutional);
    }

    function _setConstitutionalRoles(uint256 roles) private {
        _constitutionalRoles = roles;
        emit ConstitutionalRolesSet(roles);
    }

    function _onlyGovernance() private view {
        if (msg.sender != _governance) revert CityCharterOnlyGovernance(msg.sender);
    }

    function _set(Charter memory c) private {
        uint256 count = c.colleges.length;
        if (count < MIN_COLLEGES || count > MAX_COLLEGES) revert CityCharterCollegeCount(count, MIN_COLLEGES, MAX_COLLEGES);
        uint32 v = _version + 1;
        uint16 mask;
        uint256 sum;
        for (uint256 i = 0; i < count; ++i) {
            CollegeRule memory r = c.colleges[i];
            if (r.college >= MAX_COLLEGES) revert CityCharterCollegeOutOfRange(r.college, MAX_COLLEGES);
            // Strictly ascending ids: no college twice.
            if (i > 0 && r.college <= c.colleges[i - 1].college) revert CityCharterCollegesNotAscending(r.college);
            if (r.weightBps < MIN_WEIGHT_BPS || r.weightBps > MAX_WEIGHT_BPS) {
                revert CityCharterWeightOutOfBounds(r.college, r.weightBps, MIN_WEIGHT_BPS, MAX_WEIGHT_BPS);
            }
            if (r.quorumBps == 0 || r.quorumBps > _BPS) revert CityCharterQuorumOutOfBounds(r.college, r.quorumBps);
            sum += r.weightBps;
            mask |= uint16(1 << r.college);
            _rules[v][r.college] = Rule(r.weightBps, r.quorumBps);
        }
        if (sum != _BPS) revert CityCharterWeightsSum(sum);
        _checkThresholds(c, mask);
        _headers[v] = Header({
            collegeMask: mask,
            approvalThresholdBps: c.approvalThresholdBps,
            superMajorityBps: c.superMajorityBps,
            cosignShareBps: c.cosignShareBps,
            vetoCollege: c.vetoCollege,
            vetoThresholdBps: c.vetoThresholdBps
        });
        _version = v;
        emit CharterSet(v, c);
    }

    function _checkThresholds(Charter memory c, uint16 mask) private pure {
        if (c.approvalThresholdBps < MIN_APPROVAL_BPS || c.approvalThresholdBps > MAX_THRESHOLD_BPS) {
            revert CityCharterThresholdOutOfBounds(c.approvalThresholdBps, MIN_APPROVAL_BPS, MAX_THRESHOLD_BPS);
        }
        uint16 minSuper = c.approvalThresholdBps > MIN_SUPER_MAJORITY_BPS
            ? c.approvalThresholdBps
            : MIN_SUPER_MAJORITY_BPS;
        if (c.superMajorityBps < minSuper || c.superMajorityBps > MAX_THRESHOLD_BPS) {
            revert CityCharterSuperMajorityOutOfBounds(c.superMajorityBps, minSuper, MAX_THRESHOLD_BPS);
        }
        if (c.cosignShareBps == 0 || c.cosignShareBps > _BPS) revert CityCharterCosignShareOutOfBounds(c.cosignShareBps);
        if (c.vetoCollege >= MAX_COLLEGES || mask & (1 << c.vetoCollege) == 0) {
            revert CityCharterVetoCollegeNotInCharter(c.vetoCollege);
        }
        if (c.vetoThresholdBps < MIN_VETO_BPS || c.vetoThresholdBps > _BPS) {
            revert CityCharterVetoThresholdOutOfBounds(c.vetoThresholdBps, MIN_VETO_BPS, _BPS);
        }
    }

    function _popcount(uint16 mask) private pure returns (uint256 n) {
        for (; mask != 0; mask &= mask - 1) ++n;
    }
}
