"""Create and look up HR users."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts import sessions
from app.accounts.models import User, UserCreate, UserRole
from app.accounts.passwords import MIN_LENGTH, hash_password
from app.audit import service as audit
from app.errors import Conflict, Invalid, NotFound


def count_users(session: Session) -> int:
    """Return how many users exist (zero means the one-time setup page is open)."""
    return session.exec(select(func.count()).select_from(User)).one()


def get_by_email(session: Session, email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), if any."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def check_password(password: str, confirmation: str | None = None) -> None:
    """Raise Invalid when a new password is too short or does not match its confirmation."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"password: use at least {MIN_LENGTH} characters (got {len(password)})", field="password")
    if confirmation is not None and password != confirmation:
        raise Invalid("password_confirm: the two passwords differ", field="password_confirm")


def create_user(session: Session, data: UserCreate, *, actor: str, request_id: str | None = None) -> User:
    """Create a user with an argon2id password hash and record it in the audit log."""
    email = data.email.strip().lower()
    if "@" not in email.strip("@") or " " in email:
        raise Invalid(f"email: {data.email!r} is not an e-mail address", field="email")
    check_password(data.password)
    if get_by_email(session, email) is not None:
        raise Conflict(f"email: a user with e-mail address {email!r} already exists", field="email")
    user = User(email=email, role=data.role, is_active=data.is_active, password_hash=hash_password(data.password))
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=user.id,
        detail={"email": email, "role": str(user.role)},
        request_id=request_id,
    )
    return user


def actor_of(user: User) -> str:
    """Return how a user is named in the audit log and the lifecycle's actor fields."""
    return user.email


def get_user(session: Session, user_id: int) -> User:
    """Return one user or raise NotFound."""
    found = session.get(User, user_id)
    if found is None:
        raise NotFound(f"user {user_id} does not exist")
    return found


def list_users(session: Session) -> list[User]:
    """Return every user, by e-mail address (an organisation has tens of HR users, not thousands)."""
    return list(session.exec(select(User).order_by(User.email)))


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == UserRole.ADMIN, User.is_active == True)  # noqa: E712
    return session.exec(query).one()


def _guard_last_admin(session: Session, user: User) -> None:
    if user.role == UserRole.ADMIN and user.is_active and _active_admins(session) <= 1:
        raise Conflict("the last active administrator cannot be demoted or deactivated", field="role")


def set_role(session: Session, user: User, role: UserRole, *, actor: str) -> None:
    """Change a user's role; their sessions end so the new rights apply at once."""
    if user.role == role:
        return
    if role != UserRole.ADMIN:
        _guard_last_admin(session, user)
    previous = str(user.role)
    user.role = role
    session.add(user)
    sessions.end_all(session, user.id)  # type: ignore[arg-type]
    audit.record(
        session,
        actor=actor,
        action="user.role_changed",
        object_type="user",
        object_id=user.id,
        detail={"from": previous, "to": str(role)},
    )


def set_active(session: Session, user: User, active: bool, *, actor: str) -> None:
    """Deactivate (signing the user out everywhere at once) or reactivate a user."""
    if user.is_active == active:
        return
    if not active:
        _guard_last_admin(session, user)
    user.is_active = active
    session.add(user)
    if not active:
        sessions.end_all(session, user.id)  # type: ignore[arg-type]
    audit.record(
        session,
        actor=actor,
        action="user.activated" if active else "user.deactivated",
        object_type="user",
        object_id=user.id,
    )
