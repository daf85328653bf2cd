"""OAuth 2.0 flows, their errors, revoke, identity and the SOAP login."""

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from simple_salesforce import Salesforce, SalesforceLogin
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceExpiredSession

pytestmark = pytest.mark.emulator

CALLBACK = "http://127.0.0.1:50123/integrations/salesforce/callback/"
CLIENT_ID, SECRET = "3MVG9TestClient", "test-secret"


@pytest.fixture
def app(sf_org):
    sf_org.register_app(CLIENT_ID, SECRET, [CALLBACK], name="OrderHub test")
    session = sf_org.requests_session()
    session.base = sf_org.instance_url
    return session


def challenge_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    return verifier, challenge


def authorize(app, decision="allow", **extra):
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "state": "st-1",
        **extra,
    }
    page = app.get(f"{app.base}/services/oauth2/authorize", params=params)
    assert page.status_code == 200 and 'id="allow"' in page.text and 'id="deny"' in page.text
    hidden = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', page.text))
    response = app.post(
        f"{app.base}/services/oauth2/authorize",
        data={**hidden, "decision": decision, "username": "admin@orderhub.emulator"},
        allow_redirects=False,
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(CALLBACK)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def token(app, **data):
    return app.post(f"{app.base}/services/oauth2/token", data=data)


def test_web_server_flow_with_pkce(app, sf_org):
    verifier, challenge = challenge_pair()
    params = authorize(app, code_challenge=challenge, code_challenge_method="S256")
    assert params["state"] == "st-1" and params["code"]
    response = token(app, grant_type="authorization_code", code=params["code"], client_id=CLIENT_ID,
                     client_secret=SECRET, redirect_uri=CALLBACK, code_verifier=verifier)  # fmt: skip
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"access_token", "refresh_token", "signature", "scope", "instance_url", "id",
                         "token_type", "issued_at"}  # fmt: skip
    assert body["instance_url"] == sf_org.instance_url and body["token_type"] == "Bearer"
    assert body["access_token"].startswith("00D") and "!" in body["access_token"]
    assert len(body["issued_at"]) == 13
    sf = Salesforce(instance_url=body["instance_url"], session_id=body["access_token"], session=app)
    assert sf.query("SELECT COUNT() FROM Order")["totalSize"] == 30
    identity = app.get(
        body["id"], headers={"Authorization": f"Bearer {body['access_token']}"}
    ).json()
    assert identity["username"] == "admin@orderhub.emulator"
    # Codes are single use.
    again = token(app, grant_type="authorization_code", code=params["code"], client_id=CLIENT_ID,
                  client_secret=SECRET, redirect_uri=CALLBACK, code_verifier=verifier)  # fmt: skip
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_pkce_errors(app):
    _verifier, challenge = challenge_pair()
    code = authorize(app, code_challenge=challenge, code_challenge_method="S256")["code"]
    wrong = token(app, grant_type="authorization_code", code=code, client_id=CLIENT_ID, client_secret=SECRET,
                  redirect_uri=CALLBACK, code_verifier="not-the-verifier")  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_request"
    code = authorize(app, code_challenge=challenge, code_challenge_method="S256")["code"]
    missing = token(app, grant_type="authorization_code", code=code, client_id=CLIENT_ID, client_secret=SECRET,
                    redirect_uri=CALLBACK)  # fmt: skip
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_grant"


def test_deny_redirects_with_access_denied(app):
    params = authorize(app, decision="deny")
    assert params["error"] == "access_denied" and params["state"] == "st-1" and "code" not in params


def test_authorize_rejects_unknown_client_and_callback(app):
    bad_client = app.get(f"{app.base}/services/oauth2/authorize",
                         params={"response_type": "code", "client_id": "nope", "redirect_uri": CALLBACK})  # fmt: skip
    assert bad_client.status_code == 400 and "invalid_client_id" in bad_client.text
    bad_callback = app.get(f"{app.base}/services/oauth2/authorize",
                           params={"response_type": "code", "client_id": CLIENT_ID,
                                   "redirect_uri": CALLBACK + "x"})  # fmt: skip
    assert bad_callback.status_code == 400 and "redirect_uri_mismatch" in bad_callback.text


def test_token_endpoint_errors(app):
    assert token(app).json() == {
        "error": "invalid_request",
        "error_description": "grant type is missing",
    }
    assert token(app, grant_type="magic").json()["error"] == "unsupported_grant_type"
    assert token(app, grant_type="client_credentials", client_id="nope", client_secret="x").json() == {
        "error": "invalid_client_id", "error_description": "client identifier invalid"}  # fmt: skip
    assert token(app, grant_type="client_credentials", client_id=CLIENT_ID, client_secret="x").json() == {
        "error": "invalid_client", "error_description": "invalid client credentials"}  # fmt: skip
    bad_password = token(app, grant_type="password", client_id=CLIENT_ID, client_secret=SECRET,
                         username="admin@orderhub.emulator", password="wrong")  # fmt: skip
    assert bad_password.json() == {
        "error": "invalid_grant",
        "error_description": "authentication failure",
    }
    assert token(app, grant_type="refresh_token", client_id=CLIENT_ID, refresh_token="x").json()[
        "error"
    ] == ("invalid_grant")


def test_refresh_and_revoke(app):
    code = authorize(app)["code"]
    first = token(app, grant_type="authorization_code", code=code, client_id=CLIENT_ID, client_secret=SECRET,
                  redirect_uri=CALLBACK).json()  # fmt: skip
    refreshed = token(app, grant_type="refresh_token", refresh_token=first["refresh_token"], client_id=CLIENT_ID,
                      client_secret=SECRET).json()  # fmt: skip
    assert "refresh_token" not in refreshed and refreshed["access_token"] != first["access_token"]
    sf = Salesforce(
        instance_url=refreshed["instance_url"], session_id=refreshed["access_token"], session=app
    )
    sf.query("SELECT Id FROM Account LIMIT 1")
    assert (
        app.post(
            f"{app.base}/services/oauth2/revoke", data={"token": first["refresh_token"]}
        ).status_code
        == 200
    )
    with pytest.raises(SalesforceExpiredSession):
        sf.query("SELECT Id FROM Account LIMIT 1")
    again = token(
        app, grant_type="refresh_token", refresh_token=first["refresh_token"], client_id=CLIENT_ID
    )
    assert again.json()["error"] == "invalid_grant"
    bad = app.post(f"{app.base}/services/oauth2/revoke", data={"token": "nope"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_token"


def test_client_credentials_with_basic_auth_and_password_grant(app):
    response = app.post(f"{app.base}/services/oauth2/token", data={"grant_type": "client_credentials"},
                        auth=(CLIENT_ID, SECRET))  # fmt: skip
    assert response.status_code == 200 and "refresh_token" not in response.json()
    password = token(app, grant_type="password", client_id=CLIENT_ID, client_secret=SECRET,
                     username="admin@orderhub.emulator", password="emulator-passwordEMULATORTOKEN")  # fmt: skip
    assert password.status_code == 200


def test_soap_login(sf_org):
    session_id, instance = SalesforceLogin(
        username=sf_org.username, password=sf_org.password, security_token=sf_org.security_token,
        session=sf_org.requests_session(), domain=sf_org.domain,
    )  # fmt: skip
    assert instance == sf_org.host and session_id.startswith("00D")
    with pytest.raises(SalesforceAuthenticationFailed) as info:
        SalesforceLogin(username=sf_org.username, password="bad", security_token="x",
                        session=sf_org.requests_session(), domain=sf_org.domain)  # fmt: skip
    assert info.value.code == "INVALID_LOGIN"
    scratch_id, _ = SalesforceLogin(
        username=sf_org.username, password=sf_org.password, security_token=sf_org.security_token,
        session=sf_org.requests_session(), scratch_url=sf_org.instance_url,
    )  # fmt: skip
    assert scratch_id.startswith("00D")


def test_refresh_tokens_survive_a_restart(tmp_path):
    from salesforce_emulator.testing import running_emulator

    data = tmp_path / "org"
    with running_emulator(data) as org:
        org.register_app(CLIENT_ID, SECRET, [CALLBACK])
        app = org.requests_session()
        app.base = org.instance_url
        code = authorize(app)["code"]
        grant = token(app, grant_type="authorization_code", code=code, client_id=CLIENT_ID, client_secret=SECRET,
                      redirect_uri=CALLBACK).json()  # fmt: skip
        user_before = grant["id"].rsplit("/", 1)[1]
        org.reset()
        assert org.info()["users"][0]["user_id"] == user_before
    with running_emulator(data) as org:
        app = org.requests_session()
        app.base = org.instance_url
        again = token(
            app,
            grant_type="refresh_token",
            refresh_token=grant["refresh_token"],
            client_id=CLIENT_ID,
        )
        assert again.status_code == 200, again.text
        assert again.json()["id"].endswith(user_before)


def test_jwt_bearer_flow_with_simple_salesforce(sf_org):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    sf_org.register_app("3MVG9JwtClient", "jwt-secret", [CALLBACK], jwt_public_key=public_pem)
    sf = Salesforce(username=sf_org.username, consumer_key="3MVG9JwtClient", privatekey=private_pem,
                    domain=sf_org.domain, session=sf_org.requests_session())  # fmt: skip
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 5
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wrong_pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with pytest.raises(SalesforceAuthenticationFailed):
        Salesforce(username=sf_org.username, consumer_key="3MVG9JwtClient", privatekey=wrong_pem,
                   domain=sf_org.domain, session=sf_org.requests_session())  # fmt: skip
