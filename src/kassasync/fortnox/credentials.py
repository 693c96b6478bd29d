"""The integration's client pair and Fortnox's OAuth addresses: where a login and a refresh go, as whom.

Apart from ``auth`` (the login and the refresh) so that module stays about the flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kassasync.config import FortnoxSettings
from kassasync.environment import Environment
from kassasync.errors import ConfigError
from kassasync.fortnox.baked import BakedClient, read_baked
from kassasync.logs import register_secret

CLIENT_ID_ENV = "KASSASYNC_CLIENT_ID"  # the names Environment reads them under (messages, tests)
CLIENT_SECRET_ENV = "KASSASYNC_CLIENT_SECRET"

MISSING_CREDENTIALS = (
    "Kassasync saknar sina uppgifter för Fortnox (klient-id och hemlighet): den här versionen byggdes "
    "utan dem. Installera Kassasync från leverantörens installationsfil eller kontakta support."
)


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str

    @classmethod
    def from_environment(
        cls,
        settings: FortnoxSettings,
        environment: Environment,
        *,
        baked: BakedClient | Literal["read"] | None = "read",
    ) -> ClientCredentials:
        """The integration's pair: the environment (support and tests override with it), else what the
        Windows build baked in, else a clear Swedish error.

        The secret decides where the pair comes from, so an id and a secret of two integrations are
        never mixed: with ``KASSASYNC_CLIENT_SECRET`` set, the id is ``KASSASYNC_CLIENT_ID``, else
        ``fortnox.client_id`` in the settings, else the baked id; without it, the baked pair as it is.
        """
        found = read_baked() if baked == "read" else baked
        env_secret = environment.client_secret
        if env_secret:
            baked_id = found.client_id if found is not None else None
            client_id = environment.client_id or settings.client_id or baked_id
            client_secret: str | None = env_secret
        elif found is not None:
            client_id, client_secret = found.client_id, found.client_secret
        else:
            client_id, client_secret = None, None
        if not client_id or not client_secret:
            raise ConfigError(
                f"Fortnox client id/secret missing: none baked into this build, and {CLIENT_ID_ENV} / "
                f"{CLIENT_SECRET_ENV} not set",
                user_message=MISSING_CREDENTIALS,
            )
        register_secret(client_secret, slot="client_secret")
        return cls(client_id, client_secret)


@dataclass(frozen=True)
class OAuthEndpoints:
    authorize_url: str
    token_url: str
    revoke_url: str

    @classmethod
    def under(cls, auth_url: str) -> OAuthEndpoints:
        """``https://apps.fortnox.se/oauth-v1`` (or the sandbox's ``…/oauth-v1``)."""
        base = auth_url.rstrip("/")
        return cls(f"{base}/auth", f"{base}/token", f"{base}/revoke")
