"""Create and look up HR users."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts.models import User, UserCreate
from app.accounts.passwords import MIN_LENGTH, hash_password
from app.audit import service as audit
from app.errors import Conflict, Invalid


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
