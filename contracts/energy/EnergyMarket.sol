// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
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
 * slot's gate closes (`slot * 900 - gateClosure`); each slot's book holds at most `maxOrdersPerSlot` open orders, at
 * most `maxOrdersPerTrader` of one trader, none below `minOrderWh`. After gate closure anyone calls {clear} once;
 * after the slot's end anyone calls {settle} once with the meters' signed readings.
 *
 * Money: each trader has a market balance here. Orders lock from it (a bid its escrow, an ask its collateral),
 * pulling any shortfall from the trader's wallet; cancellation and settlement credit it; {claimRefund} pays it out.
 * Settlement never transfers CityCoin, so no trader CityCoin refuses (e.g. no longer a member) can block a slot: its
 * money waits in its balance, as deferred refunds did.
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
 * The book is frozen once the gate closes, so {settle} recomputes the fills instead of storing them at {clear}.
 *
 * Settlement rule (`G` = the slot's grid price, fixed when its first order was placed; `apportion(X, w)` splits the
 * integer X over weights w pro-rata, floors first, then the units left over one each, in merit order, to the entries
 * whose share had a remainder, so that the parts sum to X exactly and none exceeds `ceil(X * w_i / Σw)`):
 * 1. Readings: each is signed (EIP-712, {READING_TYPEHASH}) by its meter's own key, is for this slot, and comes from
 *    an active meter (a replaced or revoked meter's key signs nothing). A member's production is the sum of its
 *    production-capable meters' `producedWh`.
 * 2. Sellers: a member's production covers its asks in merit order: `delivered = min(fill, production left)`. An
 *    ask is paid `floor(delivered * P / 1000)`; its shortfall `fill - delivered` costs `ceil(shortfall * G / 1000)`
 *    from its collateral `ceil(wh * G / 1000)`, which always covers it. So no seller is paid for more Wh than its
 *    meters signed, and no imbalance goes unpaid.
 * 3. Buyers: `D = Σ delivered` is shared over the bids as `apportion(D, fill)`; the sellers' payments `T` as
 *    `apportion(T, delivered)` (each at most `ceil(delivered * P / 1000)` <= its escrow); the sellers' imbalance
 *    payments as `apportion(M, fill - delivered)`. The rest of each escrow is refunded.
 * 4. Until `settlementWindow` has passed since the slot's end, a seller with a fill whose active production meters
 *    have not all read blocks settlement (so neither its buyers nor the seller can be wronged by a settler leaving a
 *    reading out); after it, a withheld reading counts as no delivery, so no seller can block settlement.
 * 5. Demand response: in a slot the operator flagged as peak before it started, a reading whose `consumedWh` is
 *    below its meter's baseline records the difference for the meter's member ({demandReductionOf}).
 *
 * Limits: a settlement counts only the consumption readings it is given (the first settler decides, once), so a
 * demand-response record or a district balance can miss a reading a relayer left out; baselines are read at
 * settlement, as the operator last set them.
 *
 * Invariants:
 * - `coin.balanceOf(this) == Σ market balances + Σ locked of open, and of cleared but unsettled, orders`, where
 *   locked is a bid's escrow or an ask's collateral. Settlement moves exactly the locked amounts of its slot into
 *   balances.
 * - A slot's book lists exactly its open orders until it is cleared, then its cleared orders.
 * - For a cleared slot: Σ fills of asks == Σ fills of bids == volume; every fill is at most its order's wh; no ask
 *   above P and no bid below P fills. At settlement Σ revenue == Σ cost and Σ imbalance == Σ compensation.
 */
contract EnergyMarket is IEnergyMarket, AccessManaged, ERC2771Context, EIP712 {
    using SafeERC20 for IERC20;

    uint32 public constant SLOT_LENGTH = 900;
    uint32 public constant MIN_GATE_CLOSURE = 1 minutes;
    uint32 public constant MAX_GATE_CLOSURE = 1 days;
    uint16 public constant MIN_ORDERS_PER_SLOT = 2;
    /// @notice Largest book the council may allow: bounds the gas of {clear} and {settle}.
    uint16 public constant MAX_ORDERS_PER_SLOT_LIMIT = 128;
    uint32 public constant MIN_SETTLEMENT_WINDOW = 5 minutes;
    uint32 public constant MAX_SETTLEMENT_WINDOW = 7 days;
    /// @dev Defaults the constructor sets (the council changes them; the events say what they are).
    uint8 private constant _DEFAULT_MAX_ORDERS_PER_TRADER = 4;
    uint32 private constant _DEFAULT_MIN_ORDER_WH = 10;
    uint32 private constant _DEFAULT_GRID_PRICE = 250_000;
    uint32 private constant _DEFAULT_SETTLEMENT_WINDOW = 1 hours;
    bytes32 public constant READING_TYPEHASH =
        keccak256("MeterReading(address meter,uint32 slot,uint64 producedWh,uint64 consumedWh)");
    uint256 private constant _WH_PER_KWH = 1000;

    /// @dev Parameters the council sets and the order sequence, in one slot (4 + 2 + 1 + 4 + 4 + 4 + 4 bytes): an
    /// order reads it once and writes it warm.
    struct Params {
        uint32 gateClosure;
        uint16 maxOrdersPerSlot;
        uint8 maxOrdersPerTrader;
        uint32 minOrderWh;
        uint32 gridPrice;
        uint32 settlementWindow;
        uint32 orderSeq;
    }

    /// @dev An order as the auction and the settlement see it, in memory.
    struct Entry {
        uint256 orderId;
        uint256 wh;
        uint256 price;
        uint256 fill;
        address trader;
    }

    /// @dev The members with readings in a settlement, sorted, with their production left to cover their asks and
    /// how many of their production meters read.
    struct Production {
        address[] members;
        uint256[] whLeft;
        uint256[] meters;
        uint256 count;
    }

    /// @dev A settlement's slot, clearing price, grid price and reading deadline (0 once readings may be missing).
    struct Terms {
        uint32 slot;
        uint256 price;
        uint256 gridPrice;
        uint256 deadline;
    }

    IERC20 public immutable coin;
    ICityRegistry public immutable registry;
    IMeterRegistry public immutable meters;

    Params private _params;
    mapping(uint256 orderId => Order) private _orders;
    /// @dev Order sequence numbers (`orderId & 0xffffffff`), eight per storage slot.
    mapping(uint32 slot => uint32[] seqs) private _books;
    mapping(uint32 slot => SlotResult) private _results;
    mapping(address account => uint256) private _balances;
    /// @dev Open orders per trader and slot, one byte per slot, 32 slots per word: a trader's orders in nearby slots
    /// update a word already written.
    mapping(address trader => mapping(uint256 window => uint256)) private _openCounts;
    mapping(address meter => uint64) private _baselines;
    mapping(address member => uint256) private _demandReductions;

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
    ) AccessManaged(initialAuthority) ERC2771Context(trustedForwarder) EIP712("EnergyMarket", "1") {
        coin = coin_;
        registry = registry_;
        meters = meters_;
        _setGateClosure(gateClosure_);
        _setMaxOrdersPerSlot(maxOrdersPerSlot_);
        _setMaxOrdersPerTrader(_DEFAULT_MAX_ORDERS_PER_TRADER);
        _setMinOrderWh(_DEFAULT_MIN_ORDER_WH);
        _setGridPrice(_DEFAULT_GRID_PRICE);
        _setSettlementWindow(_DEFAULT_SETTLEMENT_WINDOW);
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

    /// @notice Sets the most open orders one trader may have in one slot (at least 1), so that nobody fills a book.
    function setMaxOrdersPerTrader(uint8 maxOrders) external restricted {
        _setMaxOrdersPerTrader(maxOrders);
    }

    /// @notice Sets the smallest order, in Wh (at least 1): free asks cannot be split into dust to fill a book.
    function setMinOrderWh(uint32 minWh) external restricted {
        _setMinOrderWh(minWh);
    }

    /// @notice Sets the grid reference price per kWh (above 0), which prices the imbalance of slots whose book opens
    /// from now on (a slot keeps the price of its first order, which its collaterals were locked at).
    function setGridPrice(uint32 price) external restricted {
        _setGridPrice(price);
    }

    /// @notice Sets how long after a slot's end every seller's reading is awaited, between 5 minutes and 7 days.
    function setSettlementWindow(uint32 window) external restricted {
        _setSettlementWindow(window);
    }

    // ─── Demand response (meter operator) ───────────────────────────────────────────────────────────────────────

    /// @notice Sets active meter `meter`'s consumption baseline per slot, in Wh (0 removes it).
    function setBaseline(address meter, uint64 baselineWh) external restricted {
        IMeterRegistry.Meter memory m = meters.meterOf(meter);
        if (m.status != IMeterRegistry.MeterStatus.Active) revert EnergyMarketNotAMeter(meter);
        _baselines[meter] = baselineWh;
        emit BaselineSet(meter, m.member, baselineWh);
    }

    /// @notice Flags slot `slot` as a peak before it starts: its settlement records consumption below baselines.
    function flagPeakSlot(uint32 slot) external restricted {
        uint256 startsAt = uint256(slot) * SLOT_LENGTH;
        if (block.timestamp >= startsAt) revert EnergyMarketPeakTooLate(slot, startsAt);
        _results[slot].peak = true;
        emit PeakSlotFlagged(slot);
    }

    // ─── Orders ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IEnergyMarket
    function ask(uint32 slot, address meter, uint40 wh, uint32 minPrice) external returns (uint256) {
        address trader = _msgSender();
        ICityRegistry.Member memory m = registry.memberOf(trader);
        if (m.status != ICityRegistry.MemberStatus.Active) revert EnergyMarketNotAMember(trader);
        if (m.flags & MemberFlags.PROSUMER == 0) revert EnergyMarketNotProsumer(trader);
        if (!meters.isActiveProducer(meter, trader)) revert EnergyMarketNotProductionMeter(meter, trader);
        return _place(trader, Side.Ask, slot, meter, wh, minPrice);
    }

    /// @inheritdoc IEnergyMarket
    function bid(uint32 slot, address meter, uint40 wh, uint32 maxPrice) external returns (uint256) {
        address trader = _msgSender();
        if (!registry.isActiveMember(trader)) revert EnergyMarketNotAMember(trader);
        if (!meters.isActiveConsumer(meter, trader)) revert EnergyMarketNotConsumptionMeter(meter, trader);
        if (maxPrice == 0) revert EnergyMarketZeroPrice();
        return _place(trader, Side.Bid, slot, meter, wh, maxPrice);
    }

    /// @inheritdoc IEnergyMarket
    function cancel(uint256 orderId) external {
        Order storage o = _orders[orderId];
        if (o.status == OrderStatus.None) revert EnergyMarketUnknownOrder(orderId);
        address caller = _msgSender();
        if (caller != o.trader) revert EnergyMarketNotTrader(orderId, caller);
        uint32 slot = _slotOf(orderId);
        OrderStatus status = _statusOf(o.status, _results[slot]);
        if (status != OrderStatus.Open) revert EnergyMarketOrderNotOpen(orderId, status);
        _requireGateOpen(slot);
        _removeFromBook(_books[slot], uint32(orderId));
        // Underflow not possible: the trader's count for this slot includes this open order.
        _openCounts[caller][slot >> 5] -= 1 << ((slot & 31) * 8);
        o.status = OrderStatus.Cancelled;
        uint256 refund = _lockedOf(o.side, o.wh, o.price, _results[slot].gridPrice);
        _balances[caller] += refund;
        emit OrderCancelled(orderId, slot, caller, refund);
    }

    /// @inheritdoc IEnergyMarket
    function deposit(uint256 amount) external {
        if (amount == 0) revert EnergyMarketZeroAmount();
        address account = _msgSender();
        uint256 balance = _balances[account] + amount;
        _balances[account] = balance;
        emit Deposited(account, amount, balance);
        coin.safeTransferFrom(account, address(this), amount);
    }

    /// @inheritdoc IEnergyMarket
    function claimRefund() external {
        address account = _msgSender();
        uint256 amount = _balances[account];
        if (amount == 0) revert EnergyMarketNothingToClaim(account);
        _balances[account] = 0;
        emit RefundClaimed(account, amount);
        coin.safeTransfer(account, amount);
    }

    // ─── Clearing and settlement ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IEnergyMarket
    function clear(uint32 slot) external {
        uint256 closesAt = gateClosureOf(slot);
        if (block.timestamp < closesAt) revert EnergyMarketGateOpen(slot, closesAt);
        SlotResult storage result = _results[slot];
        if (result.cleared) revert EnergyMarketAlreadyCleared(slot);
        (Entry[] memory asks, Entry[] memory bids, uint256 price, uint256 volume) = _auction(slot);
        // Casts are safe: price <= max order price (uint32); volume <= Σ wh of at most 128 uint40 orders < 2^47;
        // the book holds at most MAX_ORDERS_PER_SLOT_LIMIT orders.
        uint16 count = uint16(asks.length + bids.length);
        result.cleared = true;
        result.price = uint32(price);
        result.volume = uint64(volume);
        result.orderCount = count;
        emit SlotCleared(slot, uint32(price), uint64(volume), count);
        for (uint256 i = 0; i < asks.length; ++i) {
            // Cast is safe: fill <= wh, a uint40.
            emit OrderCleared(asks[i].orderId, slot, asks[i].trader, Side.Ask, uint40(asks[i].fill));
        }
        for (uint256 i = 0; i < bids.length; ++i) {
            emit OrderCleared(bids[i].orderId, slot, bids[i].trader, Side.Bid, uint40(bids[i].fill));
        }
    }

    /// @inheritdoc IEnergyMarket
    function settle(uint32 slot, Reading[] calldata readings) external {
        SlotResult storage result = _results[slot];
        if (!result.cleared) revert EnergyMarketNotCleared(slot);
        if (result.settled) revert EnergyMarketAlreadySettled(slot);
        uint256 endsAt = (uint256(slot) + 1) * SLOT_LENGTH;
        if (block.timestamp < endsAt) revert EnergyMarketSlotNotOver(slot, endsAt);
        result.settled = true;
        Production memory production = _acceptReadings(slot, readings, result.peak);
        uint256 deadline = endsAt + _params.settlementWindow;
        (uint256 delivered, uint256 payments, uint256 imbalance) = _settleOrders(
            Terms({
                slot: slot,
                price: result.price,
                gridPrice: result.gridPrice,
                deadline: block.timestamp < deadline ? deadline : 0
            }),
            production
        );
        emit SlotSettled(slot, result.volume, uint64(delivered), payments, imbalance);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Order `orderId` (status `None` if there is none; `Cleared` or `Settled` from its slot).
    function order(uint256 orderId) external view returns (Order memory o) {
        o = _orders[orderId];
        o.status = _statusOf(o.status, _results[_slotOf(orderId)]);
    }

    /// @notice Ids of slot `slot`'s open orders (in no particular order), or of its cleared orders once cleared.
    function book(uint32 slot) external view returns (uint256[] memory ids) {
        uint32[] storage seqs = _books[slot];
        ids = new uint256[](seqs.length);
        for (uint256 i = 0; i < ids.length; ++i) ids[i] = _idOf(slot, seqs[i]);
    }

    /// @notice The outcome of slot `slot`'s auction (`cleared` false until {clear}).
    function slotResult(uint32 slot) external view returns (SlotResult memory) {
        return _results[slot];
    }

    /// @notice Number of orders ever placed; the latest order's id is `slot << 32 | orderCount()`.
    function orderCount() external view returns (uint256) {
        return _params.orderSeq;
    }

    /// @notice `account`'s market balance, free for orders or {claimRefund}.
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @notice Open orders of `trader` in slot `slot` (until it is cleared).
    function openOrdersOf(address trader, uint32 slot) external view returns (uint256) {
        return (_openCounts[trader][slot >> 5] >> ((slot & 31) * 8)) & 0xff;
    }

    /// @notice `meter`'s consumption baseline per slot, in Wh (0 if none).
    function baselineOf(address meter) external view returns (uint64) {
        return _baselines[meter];
    }

    /// @notice All `member` consumed below its baselines in peak slots, in Wh.
    function demandReductionOf(address member) external view returns (uint256) {
        return _demandReductions[member];
    }

    /// @notice The EIP-712 digest a meter signs for a reading.
    function readingDigest(address meter, uint32 slot, uint64 producedWh, uint64 consumedWh) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(READING_TYPEHASH, meter, slot, producedWh, consumedWh)));
    }

    /// @notice The parameters the council sets (and the order sequence, `orderSeq`).
    function params() external view returns (Params memory) {
        return _params;
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

    // ─── Internals: orders ──────────────────────────────────────────────────────────────────────────────────────

    function _place(
        address trader,
        Side side,
        uint32 slot,
        address meter,
        uint40 wh,
        uint32 price
    ) private returns (uint256 orderId) {
        Params memory p = _params;
        if (wh < p.minOrderWh) revert EnergyMarketOrderTooSmall(wh, p.minOrderWh);
        _requireGateOpen(slot);
        uint32 gridPrice = _slotGridPrice(slot, p.gridPrice);
        uint32[] storage book_ = _books[slot];
        if (book_.length >= p.maxOrdersPerSlot) revert EnergyMarketBookFull(slot, p.maxOrdersPerSlot);
        _countOrder(trader, slot, p.maxOrdersPerTrader);
        uint32 seq = p.orderSeq + 1;
        _params.orderSeq = seq;
        orderId = _idOf(slot, seq);
        _orders[orderId] = Order({trader: trader, wh: wh, price: price, side: side, status: OrderStatus.Open});
        book_.push(seq);
        uint256 locked = _lockedOf(side, wh, price, gridPrice);
        _lock(trader, locked);
        emit OrderPlaced(orderId, slot, trader, side, meter, wh, price, locked);
    }

    /// @dev The slot's grid price, fixed to `current` by its first order.
    function _slotGridPrice(uint32 slot, uint32 current) private returns (uint32 gridPrice) {
        SlotResult storage result = _results[slot];
        gridPrice = result.gridPrice;
        if (gridPrice == 0) {
            gridPrice = current;
            result.gridPrice = current;
        }
    }

    /// @dev Counts one more open order of `trader` in `slot`, at most `maxOrders`.
    function _countOrder(address trader, uint32 slot, uint8 maxOrders) private {
        mapping(uint256 => uint256) storage counts = _openCounts[trader];
        uint256 shift = (slot & 31) * 8;
        uint256 word = counts[slot >> 5];
        if ((word >> shift) & 0xff >= maxOrders) revert EnergyMarketTraderOrdersFull(slot, trader, maxOrders);
        // No carry into the next slot's byte: the count is below maxOrders <= 255.
        counts[slot >> 5] = word + (1 << shift);
    }

    /// @dev Takes `amount` from `trader`'s market balance, pulling what it lacks from the trader's wallet.
    function _lock(address trader, uint256 amount) private {
        uint256 balance = _balances[trader];
        if (balance >= amount) {
            // Overflow not possible: amount <= balance.
            unchecked {
                _balances[trader] = balance - amount;
            }
            return;
        }
        if (balance != 0) _balances[trader] = 0;
        // Overflow not possible: balance < amount.
        unchecked {
            emit Deposited(trader, amount - balance, amount);
        }
        coin.safeTransferFrom(trader, address(this), amount - balance);
    }

    function _removeFromBook(uint32[] storage book_, uint32 seq) private {
        uint256 last = book_.length - 1;
        uint256 i;
        while (book_[i] != seq) ++i;
        if (i != last) book_[i] = book_[last];
        book_.pop();
    }

    /// @dev Gate open: before the slot's gate closure and not cleared (a lowered gate closure reopens no cleared slot).
    function _requireGateOpen(uint32 slot) private view {
        uint256 closesAt = gateClosureOf(slot);
        if (block.timestamp >= closesAt) revert EnergyMarketGateClosed(slot, closesAt);
        if (_results[slot].cleared) revert EnergyMarketAlreadyCleared(slot);
    }

    function _statusOf(OrderStatus stored, SlotResult storage result) private view returns (OrderStatus) {
        if (stored != OrderStatus.Open || !result.cleared) return stored;
        return result.settled ? OrderStatus.Settled : OrderStatus.Cleared;
    }

    /// @dev What an order locks: a bid its escrow, an ask its collateral at the slot's grid price.
    function _lockedOf(Side side, uint256 wh, uint256 price, uint256 gridPrice) private pure returns (uint256) {
        return Math.ceilDiv(wh * (side == Side.Bid ? price : gridPrice), _WH_PER_KWH);
    }

    function _idOf(uint32 slot, uint32 seq) private pure returns (uint256) {
        return (uint256(slot) << 32) | seq;
    }

    function _slotOf(uint256 orderId) private pure returns (uint32) {
        // Cast is safe for ids this contract makes; any other id has no order.
        return uint32(orderId >> 32);
    }

    // ─── Internals: auction ─────────────────────────────────────────────────────────────────────────────────────

    /// @dev Steps 1 to 4 of the clearing rule on slot `slot`'s book.
    function _auction(
        uint32 slot
    ) private view returns (Entry[] memory asks, Entry[] memory bids, uint256 price, uint256 volume) {
        (asks, bids) = _loadBook(slot);
        _sort(asks, false);
        _sort(bids, true);
        (volume, price) = _match(asks, bids);
        _allocate(asks, price, volume, false);
        _allocate(bids, price, volume, true);
    }

    function _loadBook(uint32 slot) private view returns (Entry[] memory asks, Entry[] memory bids) {
        uint32[] storage seqs = _books[slot];
        uint256 n = seqs.length;
        Entry[] memory all = new Entry[](n);
        bool[] memory isAsk = new bool[](n);
        uint256 na;
        for (uint256 i = 0; i < n; ++i) {
            uint256 orderId = _idOf(slot, seqs[i]);
            Order storage o = _orders[orderId];
            all[i] = Entry({orderId: orderId, wh: o.wh, price: o.price, fill: 0, trader: o.trader});
            if (o.side == Side.Ask) {
                isAsk[i] = true;
                ++na;
            }
        }
        asks = new Entry[](na);
        bids = new Entry[](n - na);
        uint256 a;
        uint256 b;
        for (uint256 i = 0; i < n; ++i) {
            if (isAsk[i]) asks[a++] = all[i];
            else bids[b++] = all[i];
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

    // ─── Internals: settlement ──────────────────────────────────────────────────────────────────────────────────

    /// @dev Step 1 (and 5) of the settlement rule: checks every reading and sums each member's production.
    function _acceptReadings(
        uint32 slot,
        Reading[] calldata readings,
        bool peak
    ) private returns (Production memory production) {
        production.members = new address[](readings.length);
        production.whLeft = new uint256[](readings.length);
        production.meters = new uint256[](readings.length);
        address lastMember;
        address lastMeter;
        for (uint256 i = 0; i < readings.length; ++i) {
            Reading calldata r = readings[i];
            IMeterRegistry.Meter memory m = _checkReading(slot, r);
            if (i != 0 && (m.member < lastMember || (m.member == lastMember && r.meter <= lastMeter))) {
                revert EnergyMarketReadingsNotSorted(i);
            }
            if (i == 0 || m.member != lastMember) production.members[production.count++] = m.member;
            if (m.kind != IMeterRegistry.MeterKind.Consumption) {
                production.whLeft[production.count - 1] += r.producedWh;
                ++production.meters[production.count - 1];
            }
            lastMember = m.member;
            lastMeter = r.meter;
            if (peak) _recordDemandResponse(slot, r, m.member);
        }
    }

    /// @dev Checks a reading (slot, active meter, signature) and announces it.
    function _checkReading(uint32 slot, Reading calldata r) private returns (IMeterRegistry.Meter memory m) {
        if (r.slot != slot) revert EnergyMarketReadingForOtherSlot(r.meter, r.slot, slot);
        m = meters.meterOf(r.meter);
        if (m.status != IMeterRegistry.MeterStatus.Active) revert EnergyMarketMeterNotActive(r.meter, m.status);
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(
            readingDigest(r.meter, r.slot, r.producedWh, r.consumedWh),
            r.signature
        );
        if (err != ECDSA.RecoverError.NoError || signer != r.meter) revert EnergyMarketInvalidSignature(r.meter, signer);
        emit ReadingAccepted(slot, r.meter, m.member, m.district, r.producedWh, r.consumedWh);
    }

    function _recordDemandResponse(uint32 slot, Reading calldata r, address member) private {
        uint64 baseline = _baselines[r.meter];
        if (r.consumedWh >= baseline) return;
        // Overflow not possible: consumedWh < baseline.
        uint64 reduced;
        unchecked {
            reduced = baseline - r.consumedWh;
        }
        uint256 total = _demandReductions[member] + reduced;
        _demandReductions[member] = total;
        emit DemandReduced(slot, member, r.meter, baseline, r.consumedWh, reduced, total);
    }

    /// @dev Steps 2 and 3 of the settlement rule, on the fills recomputed from the frozen book.
    function _settleOrders(
        Terms memory terms,
        Production memory production
    ) private returns (uint256 delivered, uint256 payments, uint256 imbalance) {
        (Entry[] memory asks, Entry[] memory bids, , ) = _auction(terms.slot);
        (delivered, payments, imbalance) = _settleAsks(terms, asks, production);
        _settleBids(terms.slot, bids, delivered, payments, imbalance);
    }

    /// @dev Step 2 of the settlement rule.
    function _settleAsks(
        Terms memory terms,
        Entry[] memory asks,
        Production memory production
    ) private returns (uint256 delivered, uint256 payments, uint256 imbalance) {
        for (uint256 i = 0; i < asks.length; ++i) {
            (uint256 delivery, uint256 revenue, uint256 owed) = _settleAsk(terms, asks[i], production);
            delivered += delivery;
            payments += revenue;
            imbalance += owed;
        }
    }

    function _settleAsk(
        Terms memory terms,
        Entry memory e,
        Production memory production
    ) private returns (uint256 delivery, uint256 revenue, uint256 owed) {
        if (e.fill != 0) {
            (bool found, uint256 k) = _find(production, e.trader);
            // Before the deadline every active production meter of the seller must have read (nobody can leave one
            // out to charge the seller an imbalance); a seller with none left counts as delivering nothing.
            if (terms.deadline != 0 && (found ? production.meters[k] : 0) < meters.productionMeterCountOf(e.trader)) {
                revert EnergyMarketMissingReading(terms.slot, e.trader, terms.deadline);
            }
            if (found) {
                delivery = Math.min(e.fill, production.whLeft[k]);
                production.whLeft[k] -= delivery;
            }
        }
        revenue = (delivery * terms.price) / _WH_PER_KWH;
        uint256 collateral = _lockedOf(Side.Ask, e.wh, 0, terms.gridPrice);
        // shortfall * gridPrice <= wh * gridPrice, so the imbalance never exceeds the collateral.
        owed = Math.ceilDiv((e.fill - delivery) * terms.gridPrice, _WH_PER_KWH);
        uint256 credit = revenue + collateral - owed;
        _balances[e.trader] += credit;
        // Casts are safe: delivery <= fill <= wh, a uint40.
        emit AskSettled(e.orderId, terms.slot, e.trader, uint40(delivery), revenue, owed, credit);
    }

    /// @dev Step 3 of the settlement rule.
    function _settleBids(
        uint32 slot,
        Entry[] memory bids,
        uint256 delivered,
        uint256 payments,
        uint256 imbalance
    ) private {
        uint256 n = bids.length;
        uint256[] memory weights = new uint256[](n);
        uint256 volume;
        for (uint256 i = 0; i < n; ++i) {
            weights[i] = bids[i].fill;
            volume += bids[i].fill;
        }
        uint256[] memory deliveries = _apportion(delivered, weights, volume);
        uint256[] memory costs = _apportion(payments, deliveries, delivered);
        for (uint256 i = 0; i < n; ++i) weights[i] = bids[i].fill - deliveries[i];
        uint256[] memory compensations = _apportion(imbalance, weights, volume - delivered);
        for (uint256 i = 0; i < n; ++i) {
            Entry memory e = bids[i];
            uint256 escrow = escrowOf(e.wh, e.price);
            // costs[i] <= ceil(deliveries[i] * P / 1000) <= escrow (see the header).
            uint256 credit = escrow - costs[i] + compensations[i];
            _balances[e.trader] += credit;
            // Casts are safe: delivery <= fill <= wh, a uint40.
            emit BidSettled(e.orderId, slot, e.trader, uint40(deliveries[i]), costs[i], compensations[i], credit);
        }
    }

    /**
     * @dev Splits `total` over `weights` (summing to `sum`) pro-rata: floors first, then the units left over one each,
     * in list order, to the entries whose share had a remainder (there are more of them than units left over). The
     * parts sum to `total`; part i is at most `ceil(total * weights[i] / sum)`. All zero when `sum` is 0.
     */
    function _apportion(
        uint256 total,
        uint256[] memory weights,
        uint256 sum
    ) private pure returns (uint256[] memory parts) {
        parts = new uint256[](weights.length);
        if (sum == 0) return parts;
        uint256 given;
        for (uint256 i = 0; i < weights.length; ++i) {
            parts[i] = (total * weights[i]) / sum;
            given += parts[i];
        }
        for (uint256 i = 0; given < total; ++i) {
            if ((total * weights[i]) % sum != 0) {
                ++parts[i];
                ++given;
            }
        }
    }

    /// @dev Binary search of `member` among the production's members, sorted ascending.
    function _find(Production memory production, address member) private pure returns (bool found, uint256 index) {
        uint256 low;
        uint256 high = production.count;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            address candidate = production.members[mid];
            if (candidate == member) return (true, mid);
            if (candidate < member) low = mid + 1;
            else high = mid;
        }
        return (false, 0);
    }

    // ─── Internals: parameters ──────────────────────────────────────────────────────────────────────────────────

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

    function _setMaxOrdersPerTrader(uint8 maxOrders) private {
        if (maxOrders == 0) revert EnergyMarketMaxOrdersPerTraderOutOfRange(maxOrders);
        _params.maxOrdersPerTrader = maxOrders;
        emit MaxOrdersPerTraderSet(maxOrders);
    }

    function _setMinOrderWh(uint32 minWh) private {
        if (minWh == 0) revert EnergyMarketMinOrderWhOutOfRange(minWh);
        _params.minOrderWh = minWh;
        emit MinOrderWhSet(minWh);
    }

    function _setGridPrice(uint32 price) private {
        if (price == 0) revert EnergyMarketGridPriceOutOfRange(price);
        _params.gridPrice = price;
        emit GridPriceSet(price);
    }

    function _setSettlementWindow(uint32 window) private {
        if (window < MIN_SETTLEMENT_WINDOW || window > MAX_SETTLEMENT_WINDOW) {
            revert EnergyMarketSettlementWindowOutOfRange(window, MIN_SETTLEMENT_WINDOW, MAX_SETTLEMENT_WINDOW);
        }
        _params.settlementWindow = window;
        emit SettlementWindowSet(window);
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
