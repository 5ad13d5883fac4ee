// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IParkingExchange} from "./IParkingExchange.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ParkingCalendar} from "./ParkingCalendar.sol";

/**
 * @title ParkingDisputes
 * @notice ParkingExchange's disputes and ratings, and what settlements leave to the parties (credits CityCoin
 * refused to deliver, and their moves on key recovery), as a linked library: its external functions run in the exchange's
 * context (DELEGATECALL), so they read and write the exchange's storage and their events and errors are the
 * exchange's own ({IParkingExchange}). Kept apart so the exchange stays well under EIP-170's size limit.
 *
 * The exchange passes its bookings, extras, spots and successors (key recovery) and who calls; this library finds
 * the booking and its parties' current keys, checks the step and emits its event. Money moves stay in the exchange:
 * {resolve} returns the shares, which the exchange pays.
 */
library ParkingDisputes {
    using SafeERC20 for IERC20;

    uint16 private constant _BPS = 10_000;

    /**
     * @notice `caller`, the driver or the owner (current keys), disputes booking `bookingId`, from its start until its
     * end plus `disputeWindow` seconds.
     */
    function open(
        mapping(uint256 => IParkingExchange.Booking) storage bookings,
        mapping(uint256 => IParkingExchange.Spot) storage spots,
        mapping(address => address) storage successors,
        uint256 bookingId,
        address caller,
        uint256 disputeWindow
    ) external {
        IParkingExchange.Booking storage b = _requireBooking(bookings, bookingId);
        _requireStatus(b, bookingId, IParkingExchange.BookingStatus.Booked);
        (uint256 start, uint256 end) = _interval(b, bookingId);
        if (caller != _holder(successors, b.driver) && caller != _holder(successors, spots[bookingId >> 32].owner)) {
            revert IParkingExchange.ParkingExchangeNotParty(bookingId, caller);
        }
        uint256 closesAt = end + disputeWindow;
        if (block.timestamp < start || block.timestamp >= closesAt) {
            revert IParkingExchange.ParkingExchangeDisputeClosed(bookingId, start, closesAt);
        }
        b.status = IParkingExchange.BookingStatus.Disputed;
        emit IParkingExchange.DisputeOpened(bookingId, caller);
    }

    /**
     * @notice Arbiter `arbiter` settles disputed booking `bookingId`: `toDriver` of its escrow (price and deposit) to
     * the driver, the rest to the owner less `feeBps`. Returns the parties' current keys, the owner's share and the
     * fee; the exchange pays them and `toDriver`.
     */
    function resolve(
        mapping(uint256 => IParkingExchange.Booking) storage bookings,
        mapping(uint256 => IParkingExchange.BookingExtra) storage extras,
        mapping(uint256 => IParkingExchange.Spot) storage spots,
        mapping(address => address) storage successors,
        uint256 bookingId,
        uint256 toDriver,
        uint256 feeBps,
        address arbiter,
        bytes32 reasonHash
    ) external returns (address driver, address owner, uint256 toOwner, uint256 fee) {
        IParkingExchange.Booking storage b = _requireBooking(bookings, bookingId);
        _requireStatus(b, bookingId, IParkingExchange.BookingStatus.Disputed);
        uint256 escrow = uint256(b.price) + extras[bookingId].deposit;
        if (toDriver > escrow) revert IParkingExchange.ParkingExchangeSplitExceedsEscrow(bookingId, toDriver, escrow);
        b.status = IParkingExchange.BookingStatus.Resolved;
        fee = ((escrow - toDriver) * feeBps) / _BPS;
        toOwner = escrow - toDriver - fee;
        emit IParkingExchange.DisputeResolved(bookingId, arbiter, toDriver, toOwner, fee, reasonHash);
        driver = _holder(successors, b.driver);
        owner = _holder(successors, spots[bookingId >> 32].owner);
    }

    /**
     * @notice `caller` rates the other side of booking `bookingId`, which has ended and is not cancelled, once per
     * side: the driver rates the spot's owner, the owner rates the driver (current keys).
     */
    function rate(
        mapping(uint256 => IParkingExchange.Booking) storage bookings,
        mapping(uint256 => IParkingExchange.BookingExtra) storage extras,
        mapping(uint256 => IParkingExchange.Spot) storage spots,
        mapping(address => address) storage successors,
        uint256 bookingId,
        address caller,
        uint8 score,
        bytes32 commentHash
    ) external {
        IParkingExchange.Booking storage b = _requireBooking(bookings, bookingId);
        address driver = _holder(successors, b.driver);
        address owner = _holder(successors, spots[bookingId >> 32].owner);
        if (b.status == IParkingExchange.BookingStatus.Cancelled) revert IParkingExchange.ParkingExchangeInvalidStatus(bookingId, b.status);
        (, uint256 end) = _interval(b, bookingId);
        if (block.timestamp < end) revert IParkingExchange.ParkingExchangeNotCompleted(bookingId, end);
        if (score == 0 || score > 5) revert IParkingExchange.ParkingExchangeInvalidScore(score);
        IParkingExchange.BookingExtra storage x = extras[bookingId];
        bool byDriver = caller == driver;
        if (byDriver) {
            if (x.driverRated) revert IParkingExchange.ParkingExchangeAlreadyRated(bookingId, caller);
            x.driverRated = true;
        } else if (caller == owner) {
            if (x.ownerRated) revert IParkingExchange.ParkingExchangeAlreadyRated(bookingId, caller);
            x.ownerRated = true;
        } else {
            revert IParkingExchange.ParkingExchangeNotParty(bookingId, caller);
        }
        emit IParkingExchange.BookingRated(bookingId, caller, byDriver ? owner : driver, byDriver, score, commentHash);
    }

    /**
     * @notice Pays `account`'s credit (settlement shares CityCoin refused to deliver) to `to`, unless `account` is a
     * suspended member.
     */
    function withdrawCredit(
        mapping(address => uint256) storage credits,
        IERC20 coin,
        ICityRegistry registry,
        address account,
        address to
    ) external {
        uint256 amount = credits[account];
        if (amount == 0) revert IParkingExchange.ParkingExchangeNoCredit(account);
        if (registry.memberOf(account).status == ICityRegistry.MemberStatus.Suspended) {
            revert IParkingExchange.ParkingExchangeCreditFrozen(account);
        }
        delete credits[account];
        emit IParkingExchange.CreditWithdrawn(account, to, amount);
        coin.safeTransfer(to, amount);
    }

    /**
     * @notice Key recovery: `to` becomes the successor of `from` (its spots and bookings follow), and the credit and
     * owner cancellation marks of `from` move to `to`. Constant work, whatever `from` holds.
     */
    function migrateParty(
        mapping(address => address) storage successors,
        mapping(address => uint256) storage credits,
        mapping(address => uint32) storage ownerCancellations,
        address from,
        address to
    ) external {
        successors[from] = to;
        uint256 credit = credits[from];
        uint32 marks = ownerCancellations[from];
        delete credits[from];
        delete ownerCancellations[from];
        // The registry migrates only to a fresh address, so `to` holds nothing yet; adding keeps it exact regardless.
        credits[to] += credit;
        ownerCancellations[to] += marks;
        emit IParkingExchange.PartyMigrated(from, to, credit, marks);
    }

    function _requireBooking(
        mapping(uint256 => IParkingExchange.Booking) storage bookings,
        uint256 bookingId
    ) private view returns (IParkingExchange.Booking storage b) {
        b = bookings[bookingId];
        if (b.driver == address(0)) revert IParkingExchange.ParkingExchangeUnknownBooking(bookingId);
    }

    function _requireStatus(IParkingExchange.Booking storage b, uint256 bookingId, IParkingExchange.BookingStatus status) private view {
        if (b.status != status) revert IParkingExchange.ParkingExchangeInvalidStatus(bookingId, b.status);
    }

    /// @dev The current key of `account` (see the exchange's `_holder`).
    function _holder(mapping(address => address) storage successors, address account) private view returns (address) {
        address next = successors[account];
        while (next != address(0)) {
            account = next;
            next = successors[account];
        }
        return account;
    }

    /// @dev `[start, end)` of booking `bookingId` (see the id layout in {IParkingExchange}).
    function _interval(IParkingExchange.Booking storage b, uint256 bookingId) private view returns (uint256 start, uint256 end) {
        start = (bookingId & type(uint32).max) * ParkingCalendar.HOUR;
        end = start + uint256(b.hoursBooked) * ParkingCalendar.HOUR;
    }
}
