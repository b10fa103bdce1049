"""Contains all the data models used in inputs/outputs"""

from .account_custom_role_assignment import AccountCustomRoleAssignment
from .account_custom_role_assignment_type import AccountCustomRoleAssignmentType
from .account_predefined_role_assignment import AccountPredefinedRoleAssignment
from .account_predefined_role_assignment_type import AccountPredefinedRoleAssignmentType
from .account_role import AccountRole
from .add_organization_user_request import AddOrganizationUserRequest
from .create_user_request import CreateUserRequest
from .invite_mode import InviteMode
from .invited_user import InvitedUser
from .organization_custom_role_assignment import OrganizationCustomRoleAssignment
from .organization_custom_role_assignment_type import OrganizationCustomRoleAssignmentType
from .organization_membership import OrganizationMembership
from .organization_predefined_role_assignment import OrganizationPredefinedRoleAssignment
from .organization_predefined_role_assignment_type import OrganizationPredefinedRoleAssignmentType
from .organization_role import OrganizationRole
from .pagination import Pagination
from .problem import Problem
from .user import User
from .user_list import UserList
from .user_status import UserStatus

__all__ = (
    "AccountCustomRoleAssignment",
    "AccountCustomRoleAssignmentType",
    "AccountPredefinedRoleAssignment",
    "AccountPredefinedRoleAssignmentType",
    "AccountRole",
    "AddOrganizationUserRequest",
    "CreateUserRequest",
    "InviteMode",
    "InvitedUser",
    "OrganizationCustomRoleAssignment",
    "OrganizationCustomRoleAssignmentType",
    "OrganizationMembership",
    "OrganizationPredefinedRoleAssignment",
    "OrganizationPredefinedRoleAssignmentType",
    "OrganizationRole",
    "Pagination",
    "Problem",
    "User",
    "UserList",
    "UserStatus",
)
