"""Create and look up HR users."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, select

from app import emails
from app.accounts import sessions
from app.accounts.models import User, UserCreate, UserRole
from app.accounts.passwords import MIN_LENGTH, hash_password, is_guessable, verify_password
from app.audit import service as audit
from app.db import utcnow
from app.db.lookup import get_or_404
from app.errors import Conflict, DomainError, Invalid
from app.i18n import N_


def count_users(session: Session) -> int:
    """Return how many users exist (zero means the one-time setup page is open)."""
    return session.exec(select(func.count()).select_from(User)).one()


def get_by_email(session: Session, email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), if any."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


# The reasons a new password is refused, each with its message for the forms (nl and en in the catalogues).
PASSWORD_MESSAGES = {
    "short": N_("Use a password of at least 12 characters."),
    "guessable": N_(
        "This password is too common or too easy to guess: it appears in lists of leaked passwords, repeats "
        "or follows a pattern, or contains your e-mail address. Choose a longer phrase of unrelated words."
    ),
    "mismatch": N_("The two passwords differ."),
}


def check_password(password: str, confirmation: str | None = None, *, user_inputs: Iterable[str] = ()) -> None:
    """Raise Invalid (with reason short, guessable or mismatch) unless password is acceptable (NIST SP 800-63B)."""
    problems = password_problems(password, confirmation, user_inputs=user_inputs)
    if problems:
        raise problems[0]


def password_problems(
    password: str, confirmation: str | None = None, *, user_inputs: Iterable[str] = ()
) -> list[Invalid]:
    """Return every reason a new password is refused: one for the password, one for its confirmation.

    A form shows them all at once, so the person fixes both fields in one go.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(
            Invalid(
                f"password: use at least {MIN_LENGTH} characters (got {len(password)})",
                field="password",
                reason="short",
            )
        )
    elif is_guessable(password, user_inputs):
        problems.append(
            Invalid(
                "password: too common or too easy to guess (found in leaked-password lists, a repeat or a pattern, "
                "or your own e-mail address); choose a longer phrase of unrelated words",
                field="password",
                reason="guessable",
            )
        )
    if confirmation is not None and password != confirmation:
        problems.append(
            Invalid("password_confirm: the two passwords differ", field="password_confirm", reason="mismatch")
        )
    return problems


def password_message(error: DomainError) -> str:
    """Return the translatable form message for a refused password (or e-mail) given its Invalid."""
    return PASSWORD_MESSAGES.get(str(error.extra.get("reason")), PASSWORD_MESSAGES["short"])


def change_password(
    session: Session, user: User, *, current: str, new: str, confirmation: str, keep_session: str | None
) -> list[Invalid]:
    """Change a user's own password: the current one is required; every other session of the user ends.

    Return every reason the change is refused, one per field (a wrong current password, a short or guessable
    new one, a differing confirmation), so that the form names them all at once; nothing is changed then.
    An empty list means the password is changed.
    """
    problems: list[Invalid] = []
    current_right = verify_password(current, user.password_hash)
    if not current_right:
        problems.append(
            Invalid("current_password: the current password is not right", field="current_password", reason="wrong")
        )
    problems.extend(password_problems(new, confirmation, user_inputs=[user.email]))
    # Only once the current password is proven: otherwise "it is the current one" would tell a guess is right.
    new_refused = any(problem.extra.get("field") == "password" for problem in problems)
    if current_right and not new_refused and verify_password(new, user.password_hash):
        problems.append(Invalid("password: the new password is the current one", field="password", reason="same"))
    if problems:
        return problems
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    session.add(user)
    ended = sessions.end_others(session, user.id, keep_session)  # type: ignore[arg-type]
    audit.record(
        session, user, actor=actor_of(user), action="user.password_changed", detail={"other_sessions_ended": ended}
    )
    return []


def create_user(session: Session, data: UserCreate, *, actor: str, request_id: str | None = None) -> User:
    """Create a user with an argon2id password hash and record it in the audit log."""
    email = emails.checked(data.email)
    check_password(data.password, user_inputs=[email])
    if get_by_email(session, email) is not None:
        raise Conflict(f"email: a user with e-mail address {email!r} already exists", field="email")
    user = User(email=email, role=data.role, is_active=data.is_active, password_hash=hash_password(data.password))
    audit.saved(
        session,
        user,
        actor=actor,
        action="user.created",
        detail={"email": email, "role": str(user.role)},
        request_id=request_id,
    )
    return user


def actor_of(user: User) -> str:
    """Return how a user is named in the audit log and the lifecycle's actor fields."""
    return user.email


def get_user(session: Session, user_id: int) -> User:
    """Return one user or raise NotFound."""
    return get_or_404(session, User, user_id, "user")


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
    change = {"from": previous, "to": str(role)}
    audit.record(session, user, actor=actor, action="user.role_changed", detail=change)


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
    audit.record(session, user, actor=actor, action="user.activated" if active else "user.deactivated")
