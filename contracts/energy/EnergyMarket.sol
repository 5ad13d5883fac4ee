// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IEnergyMarket} from "./IEnergyMarket.sol";
import {IMeterRegistry} from "./IMeterRegistry.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {MemberFlags} from "../membership/MemberFlags.sol";

/**
 * @title EnergyMarket
 * @notice Local energy trading in 900-second slots (see {IEnergyMarket}). Orders are placed and cancelled until the
 * slot's gate closes (`slot * 900 - gateClosure`); each slot's book holds at most `maxOrdersPerSlot` open orders.
 * After gate closure anyone calls {clear} once.
 *
 * Clearing rule (uniform price, pay-as-clear; `sdk/src/energy/clearing.ts` implements the same rule and the tests
 * compare both on random books):
 * 1. Merit order: asks by price ascending, bids by price descending, equal prices by order id ascending.
 * 2. Volume: walk both lists, matching the first ask and bid with energy left while the ask's price is at most the
 *    bid's, each step trading the smaller remainder. `volume` is the total so matched (the most that can trade at
 *    one price). `a*` and `b*` are the prices of the last ask and bid matched.
 * 3. Price: `L = max(a*, price of the first bid with energy left)` and `U = min(b*, price of the first ask with
 *    energy left)`, each term only if such an order exists; `L <= U`, and any price in `[L, U]` lets every matched
 *    order trade and no unmatched one trade better. The clearing price is `P = floor((L + U) / 2)`. If nothing
 *    matches, `volume = 0` and `P = 0`.
 * 4. Fills: an ask priced below `P` (a bid above `P`) fills in full; an ask (bid) priced exactly `P` is on the
 *    marginal level and shares `R = volume - Σ fills of that side's orders strictly better than P` pro-rata to its
 *    size, `floor(R * wh / W)` with `W` the level's total, then the `R - Σ floors` Wh left over (fewer than the
 *    level's orders) one each to the level's orders in id order; everything else fills nothing. Both sides may
 *    have a marginal level at once; each side's fills sum to `volume`.
 * 5. Money: a bid's fill costs `ceil(filledWh * P / 1000)` (kept in escrow), the rest of its escrow
 *    `ceil(wh * maxPrice / 1000)` is refunded at clearing (deferred, to be claimed, if CityCoin refuses the
 *    transfer, so that no trader can block a slot); an ask is owed `floor(filledWh * P / 1000)`. Rounding
 *    costs up and revenues down keeps the held escrow enough for every seller.
 *
 * Settlement against the meters' signed readings (paying sellers, handling under-delivery) is not implemented yet:
 * cleared bids' costs stay in escrow here until it is.
 *
 * Invariants:
 * - `coin.balanceOf(this) == Σ escrow of open bids + Σ cost of cleared bids + Σ deferred refunds` (no settlement
 *   yet).
 * - A slot's book lists exactly its open orders until it is cleared; after clearing it lists the cleared orders and
 *   no order of the slot is open.
 * - For a cleared slot: Σ filledWh of asks == Σ filledWh of bids == volume; every fill is at most its order's wh; no
 *   ask above P and no bid below P fills.
 */
contract EnergyMarket is IEnergyMarket, AccessManaged, ERC2771Context {
    using SafeERC20 for IERC20;

    uint32 public constant SLOT_LENGTH = 900;
    uint32 public constant MIN_GATE_CLOSURE = 1 minutes;
    uint32 public constant MAX_GATE_CLOSURE = 1 days;
    uint16 public constant MIN_ORDERS_PER_SLOT = 2;
    /// @notice Largest book the council may allow: bounds the gas of {clear} (sorting is quadratic in the book).
    uint16 public constant MAX_ORDERS_PER_SLOT_LIMIT = 128;
    uint256 private constant _WH_PER_KWH = 1000;

    /// @dev Parameters the council sets, in one slot.
    struct Params {
        uint32 gateClosure;
        uint16 maxOrdersPerSlot;
    }

    /// @dev An order as the auction sees it, in memory.
    struct Entry {
        uint256 orderId;
        uint256 wh;
        uint256 price;
        uint256 fill;
    }

    IERC20 public immutable coin;
    ICityRegistry public immutable registry;
    IMeterRegistry public immutable meters;

    Params private _params;
    uint256 private _orderCount;
    mapping(uint256 orderId => Order) private _orders;
    mapping(uint32 slot => uint256[] orderIds) private _books;
    mapping(uint32 slot => SlotResult) private _results;
    mapping(address account => uint256) private _deferredRefunds;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param coin_ The city's {CityCoin}; this contract must be registered as one of its city accounts.
     * @param registry_ The city's {CityRegistry}.
     * @param meters_ The city's {MeterRegistry}.
     * @param gateClosure_ Seconds before a slot's start at which its book closes.
     * @param maxOrdersPerSlot_ Most open orders a slot's book holds.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        IERC20 coin_,
        ICityRegistry registry_,
        IMeterRegistry meters_,
        uint32 gateClosure_,
        uint16 maxOrdersPerSlot_
    ) AccessManaged(initialAuthority) ERC2771Context(trustedForwarder) {
        coin = coin_;
        registry = registry_;
        meters = meters_;
        _setGateClosure(gateClosure_);
        _setMaxOrdersPerSlot(maxOrdersPerSlot_);
    }

    // ─── Parameters (authority) ─────────────────────────────────────────────────────────────────────────────────

    /// @notice Sets how long before a slot's start its book closes, between 1 minute and 1 day. Applies to every
    /// slot not yet cleared.
    function setGateClosure(uint32 gateClosure_) external restricted {
        _setGateClosure(gateClosure_);
    }

    /// @notice Sets the most open orders a slot's book holds, between 2 and {MAX_ORDERS_PER_SLOT_LIMIT}; books
    /// already fuller keep their orders but take no more.
    function setMaxOrdersPerSlot(uint16 maxOrders) external restricted {
        _setMaxOrdersPerSlot(maxOrders);
    }

    // ─── Orders ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IEnergyMarket
    function ask(uint32 slot, address meter, uint40 wh, uint32 minPrice) external returns (uint256) {
        address trader = _msgSender();
        ICityRegistry.Member memory m = registry.memberOf(trader);
        if (m.status != ICityRegistry.MemberStatus.Active) revert EnergyMarketNotAMember(trader);
        if (m.flags & MemberFlags.PROSUMER == 0) revert EnergyMarketNotProsumer(trader);
        if (!meters.isActiveProducer(meter, trader)) revert EnergyMarketNotProductionMeter(meter, trader);
        return _place(trader, Side.Ask, slot, meter, wh, minPrice, 0);
    }

    /// @inheritdoc IEnergyMarket
    function bid(uint32 slot, address meter, uint40 wh, uint32 maxPrice) external returns (uint256 orderId) {
        address trader = _msgSender();
        if (!registry.isActiveMember(trader)) revert EnergyMarketNotAMember(trader);
        if (!meters.isActiveConsumer(meter, trader)) revert EnergyMarketNotConsumptionMeter(meter, trader);
        if (maxPrice == 0) revert EnergyMarketZeroPrice();
        uint256 escrow = escrowOf(wh, maxPrice);
        orderId = _place(trader, Side.Bid, slot, meter, wh, maxPrice, escrow);
        coin.safeTransferFrom(trader, address(this), escrow);
    }

    /// @inheritdoc IEnergyMarket
    function cancel(uint256 orderId) external {
        Order storage o = _orders[orderId];
        if (o.status == OrderStatus.None) revert EnergyMarketUnknownOrder(orderId);
        if (o.status != OrderStatus.Open) revert EnergyMarketOrderNotOpen(orderId, o.status);
        address caller = _msgSender();
        if (caller != o.trader) revert EnergyMarketNotTrader(orderId, caller);
        uint32 slot = o.slot;
        _requireGateOpen(slot);
        uint256[] storage book = _books[slot];
        uint256 index = o.bookIndex;
        uint256 last = book[book.length - 1];
        book[index] = last;
        // Cast is safe: index < book.length <= MAX_ORDERS_PER_SLOT_LIMIT.
        _orders[last].bookIndex = uint16(index);
        book.pop();
        o.status = OrderStatus.Cancelled;
        uint256 refund = o.side == Side.Bid ? escrowOf(o.wh, o.price) : 0;
        emit OrderCancelled(orderId, slot, caller, refund);
        if (refund != 0) coin.safeTransfer(caller, refund);
    }

    // ─── Clearing ───────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IEnergyMarket
    function clear(uint32 slot) external {
        uint256 closesAt = gateClosureOf(slot);
        if (block.timestamp < closesAt) revert EnergyMarketGateOpen(slot, closesAt);
        SlotResult storage result = _results[slot];
        if (result.cleared) revert EnergyMarketAlreadyCleared(slot);
        (Entry[] memory asks, Entry[] memory bids) = _loadBook(_books[slot]);
        _sort(asks, false);
        _sort(bids, true);
        (uint256 volume, uint256 price) = _match(asks, bids);
        _allocate(asks, price, volume, false);
        _allocate(bids, price, volume, true);
        result.cleared = true;
        // Casts are safe: price <= max order price (uint32); volume <= Σ wh of at most 128 uint40 orders < 2^47;
        // the book holds at most MAX_ORDERS_PER_SLOT_LIMIT orders.
        result.price = uint32(price);
        result.volume = uint64(volume);
        result.orderCount = uint16(asks.length + bids.length);
        emit SlotCleared(slot, uint32(price), uint64(volume), uint16(asks.length + bids.length));
        for (uint256 i = 0; i < asks.length; ++i) {
            _record(asks[i], slot, Side.Ask, Math.mulDiv(asks[i].fill, price, _WH_PER_KWH), 0);
        }
        uint256[] memory refunds = new uint256[](bids.length);
        for (uint256 i = 0; i < bids.length; ++i) {
            Entry memory e = bids[i];
            uint256 cost = Math.ceilDiv(e.fill * price, _WH_PER_KWH);
            refunds[i] = Math.ceilDiv(e.wh * e.price, _WH_PER_KWH) - cost;
            _record(e, slot, Side.Bid, cost, refunds[i]);
        }
        for (uint256 i = 0; i < bids.length; ++i) {
            if (refunds[i] != 0) _refund(bids[i].orderId, refunds[i]);
        }
    }

    /// @inheritdoc IEnergyMarket
    function claimRefund() external {
        address account = _msgSender();
        uint256 amount = _deferredRefunds[account];
        if (amount == 0) revert EnergyMarketNothingToClaim(account);
        _deferredRefunds[account] = 0;
        emit RefundClaimed(account, amount);
        coin.safeTransfer(account, amount);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Order `orderId` (status `None` if there is none).
    function order(uint256 orderId) external view returns (Order memory) {
        return _orders[orderId];
    }

    /// @notice Ids of slot `slot`'s open orders (in no particular order), or of its cleared orders once cleared.
    function book(uint32 slot) external view returns (uint256[] memory) {
        return _books[slot];
    }

    /// @notice The outcome of slot `slot`'s auction (`cleared` false until {clear}).
    function slotResult(uint32 slot) external view returns (SlotResult memory) {
        return _results[slot];
    }

    /// @notice Number of orders ever placed; order ids run from 1 to it.
    function orderCount() external view returns (uint256) {
        return _orderCount;
    }

    /// @notice Refunds {clear} could not pay `account`, waiting for {claimRefund}.
    function deferredRefundOf(address account) external view returns (uint256) {
        return _deferredRefunds[account];
    }

    /// @notice Seconds before a slot's start at which its book closes.
    function gateClosure() external view returns (uint32) {
        return _params.gateClosure;
    }

    /// @notice Most open orders a slot's book holds.
    function maxOrdersPerSlot() external view returns (uint16) {
        return _params.maxOrdersPerSlot;
    }

    /// @notice When slot `slot`'s gate closes: `slot * 900 - gateClosure` (0 for slots that start before that).
    function gateClosureOf(uint32 slot) public view returns (uint256) {
        uint256 start = uint256(slot) * SLOT_LENGTH;
        uint256 closure = _params.gateClosure;
        return start > closure ? start - closure : 0;
    }

    /// @notice The escrow of a bid of `wh` Wh at `maxPrice` per kWh: `ceil(wh * maxPrice / 1000)`.
    function escrowOf(uint256 wh, uint256 maxPrice) public pure returns (uint256) {
        return Math.ceilDiv(wh * maxPrice, _WH_PER_KWH);
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    function _place(
        address trader,
        Side side,
        uint32 slot,
        address meter,
        uint40 wh,
        uint32 price,
        uint256 escrow
    ) private returns (uint256 orderId) {
        if (wh == 0) revert EnergyMarketZeroAmount();
        _requireGateOpen(slot);
        uint256[] storage book_ = _books[slot];
        uint16 maxOrders = _params.maxOrdersPerSlot;
        if (book_.length >= maxOrders) revert EnergyMarketBookFull(slot, maxOrders);
        orderId = ++_orderCount;
        _orders[orderId] = Order({
            trader: trader,
            wh: wh,
            price: price,
            side: side,
            status: OrderStatus.Open,
            meter: meter,
            slot: slot,
            filledWh: 0,
            // Cast is safe: book_.length < maxOrders <= MAX_ORDERS_PER_SLOT_LIMIT.
            bookIndex: uint16(book_.length)
        });
        book_.push(orderId);
        emit OrderPlaced(orderId, slot, trader, side, meter, wh, price, escrow);
    }

    /// @dev Gate open: before the slot's gate closure and not cleared (a lowered gate closure reopens no cleared slot).
    function _requireGateOpen(uint32 slot) private view {
        uint256 closesAt = gateClosureOf(slot);
        if (block.timestamp >= closesAt) revert EnergyMarketGateClosed(slot, closesAt);
        if (_results[slot].cleared) revert EnergyMarketAlreadyCleared(slot);
    }

    function _loadBook(uint256[] storage ids) private view returns (Entry[] memory asks, Entry[] memory bids) {
        uint256 n = ids.length;
        uint256 na;
        for (uint256 i = 0; i < n; ++i) {
            if (_orders[ids[i]].side == Side.Ask) ++na;
        }
        asks = new Entry[](na);
        bids = new Entry[](n - na);
        uint256 a;
        uint256 b;
        for (uint256 i = 0; i < n; ++i) {
            Order storage o = _orders[ids[i]];
            Entry memory e = Entry({orderId: ids[i], wh: o.wh, price: o.price, fill: 0});
            if (o.side == Side.Ask) asks[a++] = e;
            else bids[b++] = e;
        }
    }

    /// @dev Insertion sort into merit order: price ascending (asks) or descending (bids), then order id ascending.
    function _sort(Entry[] memory list, bool descending) private pure {
        for (uint256 i = 1; i < list.length; ++i) {
            Entry memory e = list[i];
            uint256 j = i;
            while (j > 0 && _before(e, list[j - 1], descending)) {
                list[j] = list[j - 1];
                --j;
            }
            list[j] = e;
        }
    }

    function _before(Entry memory a, Entry memory b, bool descending) private pure returns (bool) {
        if (a.price != b.price) return descending ? a.price > b.price : a.price < b.price;
        return a.orderId < b.orderId;
    }

    /// @dev Steps 2 and 3 of the clearing rule: the volume and the price. Lists are in merit order.
    function _match(Entry[] memory asks, Entry[] memory bids) private pure returns (uint256 volume, uint256 price) {
        uint256 i;
        uint256 j;
        uint256 remA = asks.length != 0 ? asks[0].wh : 0;
        uint256 remB = bids.length != 0 ? bids[0].wh : 0;
        uint256 lastAsk;
        uint256 lastBid;
        while (i < asks.length && j < bids.length && asks[i].price <= bids[j].price) {
            uint256 traded = Math.min(remA, remB);
            volume += traded;
            lastAsk = asks[i].price;
            lastBid = bids[j].price;
            remA -= traded;
            remB -= traded;
            if (remA == 0 && ++i < asks.length) remA = asks[i].wh;
            if (remB == 0 && ++j < bids.length) remB = bids[j].wh;
        }
        if (volume == 0) return (0, 0);
        uint256 low = j < bids.length ? Math.max(lastAsk, bids[j].price) : lastAsk;
        uint256 high = i < asks.length ? Math.min(lastBid, asks[i].price) : lastBid;
        price = (low + high) / 2;
    }

    /// @dev Step 4 of the clearing rule for one side, in merit order: full fills strictly better than `price`,
    /// pro-rata on the level at `price`, remainder by id.
    function _allocate(Entry[] memory list, uint256 price, uint256 volume, bool descending) private pure {
        if (volume == 0) return;
        uint256 n = list.length;
        uint256 k;
        uint256 strict;
        // Orders strictly better than the price come first in merit order.
        while (k < n && (descending ? list[k].price > price : list[k].price < price)) {
            list[k].fill = list[k].wh;
            strict += list[k].wh;
            ++k;
        }
        uint256 levelEnd = k;
        uint256 level;
        while (levelEnd < n && list[levelEnd].price == price) level += list[levelEnd++].wh;
        // volume <= strict + level by the choice of price (see the header); the level is in id order.
        uint256 rest = volume - strict;
        uint256 given;
        for (uint256 m = k; m < levelEnd; ++m) {
            list[m].fill = (rest * list[m].wh) / level;
            given += list[m].fill;
        }
        for (uint256 m = k; given < rest; ++m) {
            ++list[m].fill;
            ++given;
        }
    }

    function _record(Entry memory e, uint32 slot, Side side, uint256 value, uint256 refund) private {
        Order storage o = _orders[e.orderId];
        o.status = OrderStatus.Cleared;
        // Cast is safe: fill <= wh, a uint40.
        o.filledWh = uint40(e.fill);
        emit OrderCleared(e.orderId, slot, o.trader, side, uint40(e.fill), value, refund);
    }

    /// @dev Pays a refund at clearing; one CityCoin refuses (a trader no longer a member) is kept to be claimed.
    function _refund(uint256 orderId, uint256 amount) private {
        address trader = _orders[orderId].trader;
        if (!coin.trySafeTransfer(trader, amount)) {
            uint256 owed = _deferredRefunds[trader] + amount;
            _deferredRefunds[trader] = owed;
            emit RefundDeferred(orderId, trader, amount, owed);
        }
    }

    function _setGateClosure(uint32 gateClosure_) private {
        if (gateClosure_ < MIN_GATE_CLOSURE || gateClosure_ > MAX_GATE_CLOSURE) {
            revert EnergyMarketGateClosureOutOfRange(gateClosure_, MIN_GATE_CLOSURE, MAX_GATE_CLOSURE);
        }
        _params.gateClosure = gateClosure_;
        emit GateClosureSet(gateClosure_);
    }

    function _setMaxOrdersPerSlot(uint16 maxOrders) private {
        if (maxOrders < MIN_ORDERS_PER_SLOT || maxOrders > MAX_ORDERS_PER_SLOT_LIMIT) {
            revert EnergyMarketMaxOrdersOutOfRange(maxOrders, MIN_ORDERS_PER_SLOT, MAX_ORDERS_PER_SLOT_LIMIT);
        }
        _params.maxOrdersPerSlot = maxOrders;
        emit MaxOrdersPerSlotSet(maxOrders);
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
