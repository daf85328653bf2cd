"""The partner SOAP `login` call simple-salesforce uses for username + password + security token."""

from __future__ import annotations

import html
import re

from starlette.requests import Request
from starlette.responses import Response

from ..rest.context import instance_url, state

_FIELD = r"<(?:[\w-]+:)?{0}\b[^>]*>(.*?)</(?:[\w-]+:)?{0}>"

_FAULT = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>{code}</faultcode><faultstring>{code}: {message}</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>{code}</sf:exceptionCode><sf:exceptionMessage>{message}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"""

_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>{inst}/services/Soap/m/{version}/{org}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>{inst}/services/Soap/u/{version}/{org}</serverUrl><sessionId>{session}</sessionId><userId>{user_id}</userId><userInfo><accessibilityMode>false</accessibilityMode><chatterExternal>false</chatterExternal><currencySymbol>$</currencySymbol><orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit><orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode><orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale><orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments><orgHasPersonAccounts>false</orgHasPersonAccounts><organizationId>{org}</organizationId><organizationMultiCurrency>false</organizationMultiCurrency><organizationName>{org_name}</organizationName><profileId>00e8d000000AAAAAAA</profileId><roleId xsi:nil="true"/><sessionSecondsValid>{ttl}</sessionSecondsValid><userDefaultCurrencyIsoCode xsi:nil="true"/><userEmail>{email}</userEmail><userFullName>{full_name}</userFullName><userId>{user_id}</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale><userName>{username}</userName><userTimeZone>America/Los_Angeles</userTimeZone><userType>Standard</userType><userUiSkin>Theme3</userUiSkin></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>"""


def _field(body: str, name: str) -> str | None:
    m = re.search(_FIELD.format(name), body, re.S)
    return html.unescape(m.group(1)) if m else None


def _fault(code: str, message: str) -> Response:
    return Response(
        _FAULT.format(code=code, message=html.escape(message)),
        status_code=500,
        media_type="text/xml",
    )


async def soap_login(request: Request) -> Response:
    st = state(request)
    body = (await request.body()).decode("utf-8", "replace")
    username, password = _field(body, "username"), _field(body, "password")
    if username is None or password is None:
        return _fault(
            "INVALID_LOGIN", "Invalid username, password, security token; or user locked out."
        )
    user = st.config.user(username)
    if user is None or password != user.password + user.security_token:
        if user is not None and password == user.password:
            return _fault(
                "LOGIN_MUST_USE_SECURITY_TOKEN",
                "Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company's trusted networks, you must add a security token to your password to log in.",
            )
        return _fault(
            "INVALID_LOGIN", "Invalid username, password, security token; or user locked out."
        )
    user_id = st.user_ids[user.username.lower()]
    session = st.sessions.issue(user_id, user.username, None)
    xml = _RESPONSE.format(
        inst=instance_url(request),
        version=request.path_params["version"],
        org=st.config.org_id,
        org_name=html.escape(st.config.org_name),
        session=session.token,
        user_id=user_id,
        ttl=st.config.session_ttl_seconds,
        email=html.escape(user.email),
        full_name=html.escape(f"{user.first_name} {user.last_name}"),
        username=html.escape(user.username),
    )
    return Response(xml, media_type="text/xml; charset=utf-8")
