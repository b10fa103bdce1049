"""Contains all the data models used in inputs/outputs"""

from .account_custom_role_assignment import AccountCustomRoleAssignment
from .account_custom_role_assignment_type import AccountCustomRoleAssignmentType
from .account_predefined_role_assignment import AccountPredefinedRoleAssignment
from .account_predefined_role_assignment_type import AccountPredefinedRoleAssignmentType
from .account_role import AccountRole
from .add_organization_user_request import AddOrganizationUserRequest
from .add_space_user_request import AddSpaceUserRequest
from .create_user_request import CreateUserRequest
from .invite_mode import InviteMode
from .invited_user import InvitedUser
from .organization import Organization
from .organization_custom_role_assignment import OrganizationCustomRoleAssignment
from .organization_custom_role_assignment_type import OrganizationCustomRoleAssignmentType
from .organization_list import OrganizationList
from .organization_membership import OrganizationMembership
from .organization_predefined_role_assignment import OrganizationPredefinedRoleAssignment
from .organization_predefined_role_assignment_type import OrganizationPredefinedRoleAssignmentType
from .organization_role import OrganizationRole
from .pagination import Pagination
from .problem import Problem
from .role import Role
from .role_list import RoleList
from .space import Space
from .space_custom_role_assignment import SpaceCustomRoleAssignment
from .space_custom_role_assignment_type import SpaceCustomRoleAssignmentType
from .space_list import SpaceList
from .space_membership import SpaceMembership
from .space_predefined_role_assignment import SpacePredefinedRoleAssignment
from .space_predefined_role_assignment_type import SpacePredefinedRoleAssignmentType
from .space_role import SpaceRole
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
    "AddSpaceUserRequest",
    "CreateUserRequest",
    "InviteMode",
    "InvitedUser",
    "Organization",
    "OrganizationCustomRoleAssignment",
    "OrganizationCustomRoleAssignmentType",
    "OrganizationList",
    "OrganizationMembership",
    "OrganizationPredefinedRoleAssignment",
    "OrganizationPredefinedRoleAssignmentType",
    "OrganizationRole",
    "Pagination",
    "Problem",
    "Role",
    "RoleList",
    "Space",
    "SpaceCustomRoleAssignment",
    "SpaceCustomRoleAssignmentType",
    "SpaceList",
    "SpaceMembership",
    "SpacePredefinedRoleAssignment",
    "SpacePredefinedRoleAssignmentType",
    "SpaceRole",
    "User",
    "UserList",
    "UserStatus",
)
