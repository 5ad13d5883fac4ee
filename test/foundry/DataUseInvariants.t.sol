// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CheatTest, Vm} from "./utils/Cheats.sol";
import {CityAuthority} from "../../contracts/access/CityAuthority.sol";
import {CityForwarder} from "../../contracts/metatx/CityForwarder.sol";
import {CityRegistry} from "../../contracts/membership/CityRegistry.sol";
import {ICityRegistry} from "../../contracts/membership/ICityRegistry.sol";
import {DataUseRegistry} from "../../contracts/datause/DataUseRegistry.sol";
import {IDataUseRegistry} from "../../contracts/datause/IDataUseRegistry.sol";

/**
 * @dev Drives DataUseRegistry with random grants, withdrawals, suspensions, purpose changes (material or not, valid or
 * not) and batches. The handler is the city's admin (so it registers members and the processor) and the processor's
 * publishing account; members act through `vm.prank`. Its ghost model: each purpose's epoch, moved by the changes it
 * judges material itself, and the epoch each member last consented at.
 */
contract DataUseHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 public constant MEMBERS = 6;
    uint256 public constant PURPOSES = 3;
    uint16 public constant INITIAL_CATEGORIES = 2;
    uint32 public constant INITIAL_RETENTION = 30 days;

    CityRegistry public immutable registry;
    DataUseRegistry public immutable datause;

    address[] public members;
    mapping(uint256 purposeId => uint32) public epochOf;
    mapping(uint256 purposeId => uint16) private _categories;
    mapping(uint256 purposeId => uint32) private _retention;
    mapping(uint256 purposeId => mapping(address member => uint32)) public grantedAt;
    mapping(uint256 processorId => mapping(uint32 period => bytes32)) public rootOf;
    uint32[] public periods;
    /// @dev Calls the contract accepted although the model says it must refuse them.
    uint256 public unexpected;
    uint256 private _nonce;

    /// @dev The test registers `members_` and the processor (this handler's account) and declares its purposes.
    constructor(CityRegistry registry_, DataUseRegistry datause_, address[] memory members_) {
        registry = registry_;
        datause = datause_;
        members = members_;
        for (uint256 p = 1; p <= PURPOSES; ++p) (epochOf[p], _categories[p], _retention[p]) = (1, INITIAL_CATEGORIES, INITIAL_RETENTION);
    }

    function grant(uint256 who, uint256 purpose) external {
        (address m, uint256 p) = (members[who % MEMBERS], 1 + (purpose % PURPOSES));
        bool refused = grantedAt[p][m] == epochOf[p] || !registry.isActiveMember(m);
        vm.prank(m);
        try datause.grantConsent(p) {
            if (refused) ++unexpected;
            grantedAt[p][m] = epochOf[p];
        } catch {}
    }

    function withdraw(uint256 who, uint256 purpose) external {
        (address m, uint256 p) = (members[who % MEMBERS], 1 + (purpose % PURPOSES));
        bool refused = grantedAt[p][m] != epochOf[p];
        vm.prank(m);
        try datause.withdrawConsent(p) {
            if (refused) ++unexpected;
            grantedAt[p][m] = 0;
        } catch {}
    }

    function suspendOrReinstate(uint256 who) external {
        address m = members[who % MEMBERS];
        if (registry.isActiveMember(m)) registry.suspend(m, bytes32(0));
        else registry.reinstate(m);
    }

    /// @dev Random terms, the votes bit and unknown bits included: only valid ones land.
    function update(uint256 purpose, uint16 categories, uint32 retention) external {
        uint256 p = 1 + (purpose % PURPOSES);
        categories %= 128;
        retention = 1 + (retention % 60 days);
        bool material = categories & ~_categories[p] != 0 || retention > _retention[p];
        try datause.updatePurpose(p, terms(categories, retention)) {
            if (material) ++epochOf[p];
            (_categories[p], _retention[p]) = (categories, retention);
        } catch {}
    }

    function publish(uint256 period, bytes32 root) external {
        uint32 month = uint32(202601 + (period % 12));
        try datause.publishBatch(1, month, root, 1, keccak256(abi.encode(++_nonce))) {
            if (rootOf[1][month] != bytes32(0)) ++unexpected;
            rootOf[1][month] = root;
            periods.push(month);
        } catch {}
    }

    function periodCount() external view returns (uint256) {
        return periods.length;
    }

    function terms(uint16 categories, uint32 retention) public pure returns (IDataUseRegistry.PurposeTerms memory) {
        return IDataUseRegistry.PurposeTerms(keccak256(abi.encode(categories, retention)), IDataUseRegistry.LegalBasis.Consent, categories, retention, new bytes32[](0));
    }
}

/// @dev Invariants of data use: consent follows the epoch model, no purpose holds votes, published roots never change.
contract DataUseInvariantsTest is CheatTest {
    DataUseRegistry internal datause;
    DataUseHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        CityAuthority authority = new CityAuthority(address(this));
        CityForwarder forwarder = new CityForwarder();
        string[] memory colleges = new string[](2);
        (colleges[0], colleges[1]) = ("PUBLIC", "CITIZENS");
        CityRegistry registry = new CityRegistry(address(authority), address(forwarder), colleges, 1 days);
        datause = new DataUseRegistry(address(authority), address(forwarder), registry);
        address[] memory members = new address[](6);
        for (uint256 i = 0; i < members.length; ++i) {
            members[i] = address(uint160(0xDA7A01 + i));
            registry.register(members[i], 1, 1, 1, keccak256(abi.encode(members[i])));
        }
        handler = new DataUseHandler(registry, datause, members);
        // The handler is admin (it suspends and reinstates members) and the processor's publishing account.
        authority.grantRole(0, address(handler), 0);
        datause.registerProcessor(address(handler), keccak256("processor"), "mailto:dpo@example.org");
        // The terms are read first: a prank applies to the very next call.
        IDataUseRegistry.PurposeTerms memory initial = handler.terms(handler.INITIAL_CATEGORIES(), handler.INITIAL_RETENTION());
        for (uint256 p = 1; p <= handler.PURPOSES(); ++p) {
            vm.prank(address(handler));
            datause.declarePurpose(1, initial);
        }
        _target(address(handler));
    }

    function invariant_consentFollowsTheEpochModel() external view {
        for (uint256 p = 1; p <= handler.PURPOSES(); ++p) {
            _assertEq(datause.purposeOf(p).consentEpoch, handler.epochOf(p), "consent epoch");
            for (uint256 i = 0; i < handler.MEMBERS(); ++i) {
                address m = handler.members(i);
                (bool granted, ) = datause.consentOf(p, m);
                _assertEq(granted ? 1 : 0, handler.grantedAt(p, m) == handler.epochOf(p) ? 1 : 0, "consent = model");
            }
        }
        _assertEq(handler.unexpected(), 0, "calls the model refuses");
    }

    function invariant_noPurposeProcessesVotes() external view {
        for (uint256 p = 1; p <= datause.purposeCount(); ++p) {
            _assertEq(datause.purposeOf(p).categories & datause.VOTES(), 0, "votes never");
        }
    }

    function invariant_publishedRootsNeverChange() external view {
        for (uint256 i = 0; i < handler.periodCount(); ++i) {
            uint32 period = handler.periods(i);
            _assertEq(uint256(datause.batchOf(1, period).root), uint256(handler.rootOf(1, period)), "root");
        }
    }
}
