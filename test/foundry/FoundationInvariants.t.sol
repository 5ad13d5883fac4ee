// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CheatTest, Vm} from "./utils/Cheats.sol";
import {CityAuthority} from "../../contracts/access/CityAuthority.sol";
import {CityRoles} from "../../contracts/access/CityRoles.sol";
import {CityForwarder} from "../../contracts/metatx/CityForwarder.sol";
import {CityRegistry} from "../../contracts/membership/CityRegistry.sol";
import {ICityRegistry} from "../../contracts/membership/ICityRegistry.sol";
import {CityCoin} from "../../contracts/currency/CityCoin.sol";
import {BasicIncome} from "../../contracts/income/BasicIncome.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @dev Drives the city with random but valid-shaped actions: the handler holds the registrar, issuer and council
 * roles and acts as members through `vm.prank`. It keeps ghost totals that the invariants compare with the chain.
 */
contract FoundationHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant PEOPLE = 12;
    uint256 internal constant PROGRAM = 1;

    CityRegistry public immutable registry;
    CityCoin public immutable coin;
    BasicIncome public immutable income;

    address[] public people;
    uint256 public issued;
    uint256 public burned;
    uint256 public funded;
    uint256 public claimedTotal;
    uint256 private _nonce;

    constructor(CityRegistry registry_, CityCoin coin_, BasicIncome income_) {
        registry = registry_;
        coin = coin_;
        income = income_;
        for (uint256 i = 1; i <= PEOPLE; ++i) people.push(address(uint160(0xC17E00 + i)));
    }

    function peopleCount() external view returns (uint256) {
        return people.length;
    }

    function register(uint256 who, uint8 college, uint64 flags) external {
        address a = people[who % PEOPLE];
        if (registry.memberOf(a).status == ICityRegistry.MemberStatus.Active) return;
        if (registry.memberOf(a).status == ICityRegistry.MemberStatus.Suspended) return;
        registry.register(a, college % 4, 1, flags, keccak256(abi.encode(a, ++_nonce)));
    }

    function suspendOrReinstate(uint256 who) external {
        address a = people[who % PEOPLE];
        ICityRegistry.MemberStatus s = registry.memberOf(a).status;
        if (s == ICityRegistry.MemberStatus.Active) registry.suspend(a, bytes32(0));
        else if (s == ICityRegistry.MemberStatus.Suspended) registry.reinstate(a);
    }

    function remove(uint256 who) external {
        address a = people[who % PEOPLE];
        ICityRegistry.MemberStatus s = registry.memberOf(a).status;
        if (s == ICityRegistry.MemberStatus.Active || s == ICityRegistry.MemberStatus.Suspended) {
            registry.remove(a, bytes32(0));
        }
    }

    function issue(uint256 who, uint256 amount) external {
        address a = people[who % PEOPLE];
        if (!registry.isActiveMember(a)) return;
        amount = 1 + (amount % 1e12);
        coin.issue(a, amount, keccak256(abi.encode("deposit", ++_nonce)));
        issued += amount;
    }

    function transfer(uint256 from, uint256 to, uint256 amount) external {
        address a = people[from % PEOPLE];
        address b = people[to % PEOPLE];
        uint256 balance = coin.balanceOf(a);
        if (balance == 0 || !coin.canHold(a) || !coin.canHold(b)) return;
        vm.prank(a);
        coin.transfer(b, amount % (balance + 1));
    }

    function redeem(uint256 who, uint256 amount) external {
        address a = people[who % PEOPLE];
        uint256 balance = coin.balanceOf(a);
        if (balance == 0 || !registry.isActiveMember(a)) return;
        amount = 1 + (amount % balance);
        uint256 fee = (amount * coin.redemptionFeeBps()) / 10_000;
        vm.prank(a);
        coin.redeem(amount);
        burned += amount - fee;
    }

    function fundIncome(uint256 amount) external {
        amount = 1 + (amount % 1e10);
        coin.issue(address(this), amount, keccak256(abi.encode("budget", ++_nonce)));
        issued += amount;
        coin.approve(address(income), amount);
        try income.fund(PROGRAM, amount) {
            funded += amount;
        } catch {
            // Program ended: the coins stay with the handler (a city account), still counted in the supply.
        }
    }

    function claim(uint256 who) external {
        address a = people[who % PEOPLE];
        vm.prank(a);
        try income.claim(PROGRAM) returns (uint256 amount) {
            claimedTotal += amount;
        } catch {
            // Not eligible, already claimed, budget exhausted or program over: all legitimate refusals.
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + 1 + (seconds_ % 10 days));
    }
}

/// @dev Invariants of the foundation: money is conserved, the reserve rule holds, votes count active members.
contract FoundationInvariantsTest is CheatTest {
    CityRegistry internal registry;
    CityCoin internal coin;
    BasicIncome internal income;
    FoundationHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        CityAuthority authority = new CityAuthority(address(this));
        CityForwarder forwarder = new CityForwarder();
        string[] memory colleges = new string[](4);
        (colleges[0], colleges[1], colleges[2], colleges[3]) = ("PUBLIC", "CITIZENS", "PRIVATE_PARTNERS", "ASSOCIATIONS");
        registry = new CityRegistry(address(authority), address(forwarder), colleges, 1 days);
        coin = new CityCoin(address(authority), address(forwarder), registry);
        income = new BasicIncome(address(authority), address(forwarder), IERC20(address(coin)), registry);
        handler = new FoundationHandler(registry, coin, income);

        // The test contract is the admin: everything restricted stays admin-only, and the handler gets admin too,
        // so it may call every restricted function it drives.
        authority.grantRole(0, address(handler), 0);
        address[] memory listeners = new address[](1);
        listeners[0] = address(coin);
        registry.setMembershipListeners(listeners);
        coin.setCommunityFund(address(0xF00D));
        coin.setCityAccount(address(income), true);
        coin.setCityAccount(address(handler), true);
        coin.setRedemptionFee(150);
        coin.attestReserve(type(uint128).max, bytes32(0));
        income.createProgram(0xF, 0, uint48(block.timestamp + 1), 7 days, 520, 40e6);
        _target(address(handler));
        // Keep the role constant referenced so a renumbering of ADMIN is caught here too.
        _assertEq(CityRoles.REGISTRAR, 1, "role ids");
    }

    function invariant_supplyEqualsIssuedMinusBurned() external view {
        _assertEq(coin.totalSupply(), handler.issued() - handler.burned(), "supply = issued - burned");
    }

    function invariant_balancesSumToSupply() external view {
        uint256 sum = coin.balanceOf(address(0xF00D)) + coin.balanceOf(address(income)) + coin.balanceOf(address(handler));
        for (uint256 i = 0; i < handler.peopleCount(); ++i) sum += coin.balanceOf(handler.people(i));
        _assertEq(sum, coin.totalSupply(), "sum of balances = supply");
    }

    function invariant_supplyWithinReserve() external view {
        _assertLe(coin.totalSupply(), coin.reserve(), "supply <= reserve");
    }

    function invariant_incomeNeverPaysMoreThanFunded() external view {
        _assertLe(handler.claimedTotal(), handler.funded(), "paid <= funded");
        _assertEq(coin.balanceOf(address(income)), handler.funded() - handler.claimedTotal(), "income balance");
    }

    function invariant_oneVotePerActiveMember() external view {
        uint256 active;
        for (uint256 i = 0; i < handler.peopleCount(); ++i) {
            address a = handler.people(i);
            uint256 votes = registry.getVotes(a);
            bool isActive = registry.isActiveMember(a);
            _assertEq(votes, isActive ? 1 : 0, "one vote per active member");
            if (isActive) ++active;
        }
        uint256 colleges;
        for (uint8 c = 0; c < 4; ++c) colleges += registry.getCollegeSize(c);
        _assertEq(colleges, active, "college sizes sum to active members");
    }
}
