// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityMemberService} from "../access/CityMemberService.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title ToolLending
 * @notice A toy city service, used only by test/architecture/adding-a-domain.test.ts to show what adding a domain
 * costs: members list tools, borrow them (at most `maxLoans` at a time) and give them back. No money moves.
 * @custom:city tools
 * @custom:relay list borrow giveBack
 */
contract ToolLending is CityMemberService {
    struct Tool {
        address owner;
        address borrower;
        bytes32 descriptionHash;
    }

    /// @notice The most tools a member may hold at once.
    uint32 public maxLoans = 2;
    uint256 public toolCount;
    mapping(uint256 toolId => Tool) private _tools;
    mapping(address member => uint32) public loansOf;

    /// @notice `account` is not an active member.
    error ToolLendingNotMember(address account);
    /// @notice No tool has id `toolId`.
    error ToolLendingUnknownTool(uint256 toolId);
    /// @notice Tool `toolId` is lent to `borrower`.
    error ToolLendingUnavailable(uint256 toolId, address borrower);
    /// @notice `account` does not hold tool `toolId`.
    error ToolLendingNotBorrower(uint256 toolId, address account);
    /// @notice `account` already holds `limit` tools.
    error ToolLendingTooManyLoans(address account, uint32 limit);
    /// @notice The loan limit must be at least one.
    error ToolLendingZeroLimit();

    event ToolListed(uint256 indexed toolId, address indexed owner, bytes32 descriptionHash);
    event ToolBorrowed(uint256 indexed toolId, address indexed borrower);
    event ToolReturned(uint256 indexed toolId, address indexed borrower);
    event MaxLoansSet(uint32 maxLoans);

    constructor(address initialAuthority, address trustedForwarder, ICityRegistry registry_)
        CityMemberService(initialAuthority, trustedForwarder, registry_)
    {}

    /// @notice Lists a tool; `descriptionHash` is the hash of its description (kept off chain).
    function list(bytes32 descriptionHash) external returns (uint256 toolId) {
        address owner = _member();
        toolId = ++toolCount;
        _tools[toolId].owner = owner;
        _tools[toolId].descriptionHash = descriptionHash;
        emit ToolListed(toolId, owner, descriptionHash);
    }

    function borrow(uint256 toolId) external {
        address borrower = _member();
        Tool storage tool = _tool(toolId);
        if (tool.borrower != address(0)) revert ToolLendingUnavailable(toolId, tool.borrower);
        if (loansOf[borrower] >= maxLoans) revert ToolLendingTooManyLoans(borrower, maxLoans);
        tool.borrower = borrower;
        loansOf[borrower] += 1;
        emit ToolBorrowed(toolId, borrower);
    }

    function giveBack(uint256 toolId) external {
        address sender = _msgSender();
        Tool storage tool = _tool(toolId);
        if (tool.borrower != sender) revert ToolLendingNotBorrower(toolId, sender);
        tool.borrower = address(0);
        loansOf[sender] -= 1;
        emit ToolReturned(toolId, sender);
    }

    /// @custom:role COUNCIL
    function setMaxLoans(uint32 limit) external restricted {
        if (limit == 0) revert ToolLendingZeroLimit();
        maxLoans = limit;
        emit MaxLoansSet(limit);
    }

    function toolOf(uint256 toolId) external view returns (Tool memory) {
        return _tool(toolId);
    }

    function _member() private view returns (address account) {
        account = _msgSender();
        if (!registry.isActiveMember(account)) revert ToolLendingNotMember(account);
    }

    function _tool(uint256 toolId) private view returns (Tool storage tool) {
        tool = _tools[toolId];
        if (tool.owner == address(0)) revert ToolLendingUnknownTool(toolId);
    }
}
