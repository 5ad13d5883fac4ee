// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityCoinService} from "../access/CityCoinService.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IEnergyMarket} from "./IEnergyMarket.sol";
import {DoubleAuction} from "./DoubleAuction.sol";
import {IMeterRegistry} from "./IMeterRegistry.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {MemberFlags} from "../membership/MemberFlags.sol";
import {IMembershipListener} from "../membership/IMembershipListener.sol";

/**
 * @title EnergyMarket
 * @notice Local energy trading in 900-second slots (see {IEnergyMarket}). Orders are placed and cancelled until the
 * slot's gate closes (`slot * 900 - gateClosure`); each slot's book holds at most `maxOrdersPerSlot` open orders, at
 * most `maxOrdersPerTrader` of one trader, none below `minOrderWh` nor locking less than `minOrderValue`. A full book
 * still takes an order that beats its side's worst (asks: highest price, bids: lowest, the latest id first among
 * equals), which it evicts; an order of a side holding less than half the book evicts the other side's worst. So
 * dust cannot fill a book against better-priced orders, and each side always has half the book. After gate closure
 * anyone calls {clear} once; after the slot's end anyone calls {settle} once, against the readings {IMeterRegistry}
 * has on record.
 *
 * Money: each trader has a market balance here. Orders lock from it (a bid its escrow, an ask its collateral),
 * pulling any shortfall from the trader's wallet; cancellation and settlement credit it; {claimRefund} pays it out.
 * Settlement, cancellation and eviction never transfer CityCoin, so no trader CityCoin refuses (e.g. no longer a
 * member) can block a slot or another trader's money: its money waits in its balance. {claimRefund} pays active members
 * only; a suspended or removed member's balance is held for it (`BalanceHeld` when it stops being active), a
 * reinstatement lets it claim, and a key recovery ({onMembershipMigrated}, called by {CityRegistry}) moves the balance
 * to the new key, whose orders then cancel and settle for it.
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
 * The linked library {DoubleAuction} runs this rule for both.
 *
 * Settlement rule (`G` = the slot's grid price, fixed when its first order was placed; `apportion(X, w)` splits the
 * integer X over weights w pro-rata, floors first, then the units left over one each, in merit order, to the entries
 * whose share had a remainder, so that the parts sum to X exactly and none exceeds `ceil(X * w_i / Σw)`):
 * 1. Readings: {IMeterRegistry} records them (signed by each meter's own key, once per meter and slot, after the
 *    slot's end), whoever submits them and whenever; {settle} may submit some itself. A member's production is the
 *    sum of its production meters' recorded `producedWh` (under its current key and, after a key recovery, its old).
 * 2. Sellers: a member's production covers its asks in merit order: `delivered = min(fill, production left)`. An
 *    ask is paid `floor(delivered * P / 1000)`; its shortfall `fill - delivered` costs `ceil(shortfall * G / 1000)`
 *    from its collateral `ceil(wh * G / 1000)`, which always covers it. So no seller is paid for more Wh than its
 *    meters signed, and no imbalance goes unpaid.
 * 3. Buyers: `D = Σ delivered` is shared over the bids as `apportion(D, fill)`; the sellers' payments `T` as
 *    `apportion(T, delivered)` (each at most `ceil(delivered * P / 1000)` <= its escrow); the sellers' imbalance
 *    payments as `apportion(M, fill - delivered)`. The rest of each escrow is refunded.
 * 4. Until `settlementWindow` has passed since the slot's end, a seller with a fill whose active production meters
 *    have not all read delays settlement (so no seller is charged for a reading not yet recorded); after it, every
 *    reading on record counts and a withheld one counts as no delivery: withholding only costs the withholder, and
 *    delays the slot by at most the window. No settler chooses which readings count.
 * Demand response and district balances are recorded by {IMeterRegistry} as readings arrive, not by settlement.
 *
 * Limits: an order of the side holding less than half a full book evicts the other side's worst order whatever its
 * price (the evicted trader is refunded at once and may place again before the gate closes); a removed member's
 * balance is held here with no deadline (a reinstatement or a key recovery releases it); the per-trader order limit
 * counts per key, so in the slots where a recovered member's old key still has open orders, its new key may add as
 * many again.
 *
 * Invariants:
 * - `coin.balanceOf(this) == Σ market balances + Σ locked of open, and of cleared but unsettled, orders`, where
 *   locked is a bid's escrow or an ask's collateral. Settlement moves exactly the locked amounts of its slot into
 *   balances; cancellation and eviction move one order's; a key recovery moves a balance from one key to another.
 * - A slot's book lists exactly its open orders until it is cleared, then its cleared orders.
 * - For a cleared slot: Σ fills of asks == Σ fills of bids == volume; every fill is at most its order's wh; no ask
 *   above P and no bid below P fills. At settlement Σ revenue == Σ cost and Σ imbalance == Σ compensation.
 *
 * @custom:city energy
 * @custom:relay deposit ask bid cancel claimRefund
 */
contract EnergyMarket is IEnergyMarket, IMembershipListener, CityCoinService {
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
    /// @dev €0.001: 10 Wh at €0.10/kWh.
    uint32 private constant _DEFAULT_MIN_ORDER_VALUE = 1_000;
    uint256 private constant _WH_PER_KWH = 1000;

    /// @dev Parameters the council sets and the order sequence, in one slot (4 + 2 + 1 + 4 + 4 + 4 + 4 + 4 bytes):
    /// an order reads it once and writes it warm.
    struct Params {
        uint32 gateClosure;
        uint16 maxOrdersPerSlot;
        uint8 maxOrdersPerTrader;
        uint32 minOrderWh;
        uint32 gridPrice;
        uint32 settlementWindow;
        uint32 orderSeq;
        uint32 minOrderValue;
    }

    /// @dev A settlement's slot, clearing price, grid price and reading deadline (0 once readings may be missing).
    struct Terms {
        uint32 slot;
        uint256 price;
        uint256 gridPrice;
        uint256 deadline;
    }

    /// @dev The sellers met so far in a settlement, with their production on record left to cover their asks.
    struct Sellers {
        address[] traders;
        uint256[] whLeft;
        uint256 count;
    }

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
    /// @dev The key a membership moved to by key recovery (zero if none): the orders of `from` credit it.
    mapping(address from => address) private _successors;

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
    ) CityCoinService(initialAuthority, trustedForwarder, coin_, registry_) {
        meters = meters_;
        _setGateClosure(gateClosure_);
        _setMaxOrdersPerSlot(maxOrdersPerSlot_);
        _setMaxOrdersPerTrader(_DEFAULT_MAX_ORDERS_PER_TRADER);
        _setMinOrderWh(_DEFAULT_MIN_ORDER_WH);
        _setGridPrice(_DEFAULT_GRID_PRICE);
        _setSettlementWindow(_DEFAULT_SETTLEMENT_WINDOW);
        _setMinOrderValue(_DEFAULT_MIN_ORDER_VALUE);
    }

    // ─── Parameters (authority) ─────────────────────────────────────────────────────────────────────────────────

    /// @notice Sets how long before a slot's start its book closes, between 1 minute and 1 day. Applies to every
    /// slot not yet cleared.
    /// @custom:role COUNCIL
    function setGateClosure(uint32 gateClosure_) external restricted {
        _setGateClosure(gateClosure_);
    }

    /// @notice Sets the most open orders a slot's book holds, between 2 and {MAX_ORDERS_PER_SLOT_LIMIT}; books
    /// already fuller keep their orders, and a new order enters them only by evicting one.
    /// @custom:role COUNCIL
    function setMaxOrdersPerSlot(uint16 maxOrders) external restricted {
        _setMaxOrdersPerSlot(maxOrders);
    }

    /// @notice Sets the most open orders one trader may have in one slot (at least 1), so that nobody fills a book.
    /// @custom:role COUNCIL
    function setMaxOrdersPerTrader(uint8 maxOrders) external restricted {
        _setMaxOrdersPerTrader(maxOrders);
    }

    /// @notice Sets the smallest order, in Wh (at least 1): free asks cannot be split into dust to fill a book.
    /// @custom:role COUNCIL
    function setMinOrderWh(uint32 minWh) external restricted {
        _setMinOrderWh(minWh);
    }

    /// @notice Sets the least an order may lock (a bid's escrow, an ask's collateral), in base units (at least 1):
    /// filling a book with dust then ties up real money.
    /// @custom:role COUNCIL
    function setMinOrderValue(uint32 minValue) external restricted {
        _setMinOrderValue(minValue);
    }

    /// @notice Sets the grid reference price per kWh (above 0), which prices the imbalance of slots whose book opens
    /// from now on (a slot keeps the price of its first order, which its collaterals were locked at).
    /// @custom:role COUNCIL
    function setGridPrice(uint32 price) external restricted {
        _setGridPrice(price);
    }

    /// @notice Sets how long after a slot's end every seller's reading is awaited, between 5 minutes and 7 days.
    /// @custom:role COUNCIL
    function setSettlementWindow(uint32 window) external restricted {
        _setSettlementWindow(window);
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
        if (caller != _holderOf(o.trader)) revert EnergyMarketNotTrader(orderId, caller);
        uint32 slot = _slotOf(orderId);
        OrderStatus status = _statusOf(o.status, _results[slot]);
        if (status != OrderStatus.Open) revert EnergyMarketOrderNotOpen(orderId, status);
        _requireGateOpen(slot);
        (, uint256 refund) = _close(slot, orderId, OrderStatus.Cancelled);
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
        // CityCoin pays active members only: anyone else's balance is held for it (see the header).
        if (!registry.isActiveMember(account)) revert EnergyMarketFundsHeld(account, amount);
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
        DoubleAuction.clear(_orders, _books[slot], result, slot);
    }

    /// @inheritdoc IEnergyMarket
    function settle(uint32 slot, IMeterRegistry.Reading[] calldata readings) external {
        SlotResult storage result = _results[slot];
        if (!result.cleared) revert EnergyMarketNotCleared(slot);
        if (result.settled) revert EnergyMarketAlreadySettled(slot);
        uint256 endsAt = (uint256(slot) + 1) * SLOT_LENGTH;
        if (block.timestamp < endsAt) revert EnergyMarketSlotNotOver(slot, endsAt);
        result.settled = true;
        if (readings.length != 0) meters.recordReadings(readings);
        uint256 deadline = endsAt + _params.settlementWindow;
        (uint256 delivered, uint256 payments, uint256 imbalance) = _settleOrders(
            Terms({
                slot: slot,
                price: result.price,
                gridPrice: result.gridPrice,
                deadline: block.timestamp < deadline ? deadline : 0
            })
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

    // ─── Membership (CityRegistry) ──────────────────────────────────────────────────────────────────────────────

    /// @notice Called by {CityRegistry} when `account` becomes (`active`) or stops being an active member: a balance
    /// it stops being able to claim is announced as held for it.
    function onMembershipChanged(address account, bool active) external {
        _requireRegistry();
        uint256 balance = _balances[account];
        if (!active && balance != 0) emit BalanceHeld(account, balance);
    }

    /**
     * @notice Called by {CityRegistry} when the membership of `from` moved to `to` (key recovery): the market balance
     * of `from` moves to `to`, and the orders of `from` (open or unsettled) now cancel and settle for `to`.
     */
    function onMembershipMigrated(address from, address to) external {
        _requireRegistry();
        _successors[from] = to;
        uint256 amount = _balances[from];
        delete _balances[from];
        _balances[to] += amount;
        emit BalanceMigrated(from, to, amount);
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
        uint256 locked = _lockedOf(side, wh, price, gridPrice);
        if (locked < p.minOrderValue) revert EnergyMarketOrderValueTooSmall(locked, p.minOrderValue);
        uint32[] storage book_ = _books[slot];
        _countOrder(trader, slot, p.maxOrdersPerTrader);
        if (book_.length >= p.maxOrdersPerSlot) _evict(slot, side, price, p.maxOrdersPerSlot);
        uint32 seq = p.orderSeq + 1;
        _params.orderSeq = seq;
        orderId = _idOf(slot, seq);
        _orders[orderId] = Order({trader: trader, wh: wh, price: price, side: side, status: OrderStatus.Open});
        book_.push(seq);
        _lock(trader, locked);
        emit OrderPlaced(orderId, slot, trader, side, meter, wh, price, locked);
    }

    /**
     * @dev Makes room in slot `slot`'s full book for an order of `side` at `price`: evicts the other side's worst
     * order if `side` holds less than half the book, else `side`'s worst if `price` beats it, else reverts. The worst
     * order is the last in merit order (asks: highest price, bids: lowest; among equals, the latest id).
     */
    function _evict(uint32 slot, Side side, uint256 price, uint16 maxOrders) private {
        (uint256[2] memory ids, uint256[2] memory prices, uint256 sameSide) = _worstOrders(slot, side);
        uint256 victim = uint256(side);
        if (2 * sameSide < maxOrders) {
            // The other side holds more than half the book (it is full).
            victim = 1 - victim;
        } else if (side == Side.Bid ? price <= prices[victim] : price >= prices[victim]) {
            revert EnergyMarketBookFull(slot, maxOrders);
        }
        (address holder, uint256 refund) = _close(slot, ids[victim], OrderStatus.Evicted);
        emit OrderEvicted(ids[victim], slot, holder, refund);
    }

    /// @dev The worst open order of each side of slot `slot`'s book (id 0 if the side is empty), and how many orders
    /// `side` has.
    function _worstOrders(
        uint32 slot,
        Side side
    ) private view returns (uint256[2] memory ids, uint256[2] memory prices, uint256 sameSide) {
        uint32[] storage book_ = _books[slot];
        for (uint256 i = 0; i < book_.length; ++i) {
            uint256 id = _idOf(slot, book_[i]);
            Order storage o = _orders[id];
            uint256 s = uint256(o.side);
            if (o.side == side) ++sameSide;
            uint256 p = o.price;
            bool worse = o.side == Side.Bid ? p < prices[s] : p > prices[s];
            if (ids[s] == 0 || worse || (p == prices[s] && id > ids[s])) {
                ids[s] = id;
                prices[s] = p;
            }
        }
    }

    /**
     * @dev Takes open order `orderId` out of its slot's book with status `status` and credits what it locked to its
     * holder.
     */
    function _close(uint32 slot, uint256 orderId, OrderStatus status) private returns (address holder, uint256 refund) {
        _removeFromBook(_books[slot], uint32(orderId));
        Order storage o = _orders[orderId];
        address trader = o.trader;
        // Underflow not possible: the trader's count for this slot includes this open order.
        _openCounts[trader][slot >> 5] -= 1 << ((slot & 31) * 8);
        o.status = status;
        refund = _lockedOf(o.side, o.wh, o.price, _results[slot].gridPrice);
        holder = _holderOf(trader);
        _balances[holder] += refund;
    }

    /// @dev The key the orders of `trader` credit: its membership's latest key (keys are fresh, so no cycle).
    function _holderOf(address trader) private view returns (address holder) {
        holder = trader;
        for (address next = _successors[holder]; next != address(0); next = _successors[holder]) holder = next;
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

    // ─── Internals: settlement ──────────────────────────────────────────────────────────────────────────────────

    /// @dev Steps 2 and 3 of the settlement rule, on the fills recomputed from the frozen book.
    function _settleOrders(
        Terms memory terms
    ) private returns (uint256 delivered, uint256 payments, uint256 imbalance) {
        (DoubleAuction.Entry[] memory asks, DoubleAuction.Entry[] memory bids, , ) = DoubleAuction.auction(_orders, _books[terms.slot], terms.slot);
        (delivered, payments, imbalance) = _settleAsks(terms, asks);
        _settleBids(terms.slot, bids, delivered, payments, imbalance);
    }

    /// @dev Step 2 of the settlement rule.
    function _settleAsks(
        Terms memory terms,
        DoubleAuction.Entry[] memory asks
    ) private returns (uint256 delivered, uint256 payments, uint256 imbalance) {
        Sellers memory sellers = Sellers(new address[](asks.length), new uint256[](asks.length), 0);
        for (uint256 i = 0; i < asks.length; ++i) {
            (uint256 delivery, uint256 revenue, uint256 owed) = _settleAsk(terms, asks[i], sellers);
            delivered += delivery;
            payments += revenue;
            imbalance += owed;
        }
    }

    function _settleAsk(
        Terms memory terms,
        DoubleAuction.Entry memory e,
        Sellers memory sellers
    ) private returns (uint256 delivery, uint256 revenue, uint256 owed) {
        address holder = _holderOf(e.trader);
        if (e.fill != 0) {
            uint256 k = _sellerIndex(terms, sellers, e.trader, holder);
            delivery = Math.min(e.fill, sellers.whLeft[k]);
            sellers.whLeft[k] -= delivery;
        }
        revenue = (delivery * terms.price) / _WH_PER_KWH;
        uint256 collateral = _lockedOf(Side.Ask, e.wh, 0, terms.gridPrice);
        // shortfall * gridPrice <= wh * gridPrice, so the imbalance never exceeds the collateral.
        owed = Math.ceilDiv((e.fill - delivery) * terms.gridPrice, _WH_PER_KWH);
        uint256 credit = revenue + collateral - owed;
        _balances[holder] += credit;
        // Casts are safe: delivery <= fill <= wh, a uint40.
        emit AskSettled(e.orderId, terms.slot, holder, uint40(delivery), revenue, owed, credit);
    }

    /**
     * @dev The index of seller `trader` in `sellers`, adding it with its production on record (under its key and, if
     * its membership moved, its current key `holder`) the first time. Before the deadline every active production
     * meter of the seller must have read: nobody is charged an imbalance for a reading not yet recorded.
     */
    function _sellerIndex(
        Terms memory terms,
        Sellers memory sellers,
        address trader,
        address holder
    ) private view returns (uint256 k) {
        for (; k < sellers.count; ++k) if (sellers.traders[k] == trader) return k;
        (uint256 wh, uint256 read) = meters.productionOf(terms.slot, trader);
        if (holder != trader) {
            (uint256 moreWh, uint256 moreRead) = meters.productionOf(terms.slot, holder);
            wh += moreWh;
            read += moreRead;
        }
        if (terms.deadline != 0 && read < meters.productionMeterCountOf(holder)) {
            revert EnergyMarketMissingReading(terms.slot, trader, terms.deadline);
        }
        sellers.traders[k] = trader;
        sellers.whLeft[k] = wh;
        ++sellers.count;
    }

    /// @dev Step 3 of the settlement rule.
    function _settleBids(
        uint32 slot,
        DoubleAuction.Entry[] memory bids,
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
            DoubleAuction.Entry memory e = bids[i];
            // costs[i] <= ceil(deliveries[i] * P / 1000) <= escrow (see the header).
            _creditBid(slot, e, deliveries[i], costs[i], compensations[i]);
        }
    }

    /// @dev Credits bid `e`'s escrow less its cost plus its compensation to its holder.
    function _creditBid(uint32 slot, DoubleAuction.Entry memory e, uint256 delivery, uint256 cost, uint256 compensation) private {
        uint256 credit = escrowOf(e.wh, e.price) - cost + compensation;
        address holder = _holderOf(e.trader);
        _balances[holder] += credit;
        // Cast is safe: delivery <= fill <= wh, a uint40.
        emit BidSettled(e.orderId, slot, holder, uint40(delivery), cost, compensation, credit);
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

    function _setMinOrderValue(uint32 minValue) private {
        if (minValue == 0) revert EnergyMarketMinOrderValueOutOfRange(minValue);
        _params.minOrderValue = minValue;
        emit MinOrderValueSet(minValue);
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

    function _revertNotRegistry(address caller) internal pure override {
        revert EnergyMarketNotRegistry(caller);
    }
}
