//! The catalog's English texts, one constant per code, in catalog order.

use super::Text;

pub(super) const DOCKER_COMMAND: Text = Text {
    title: "Docker client not found",
    meaning: "The `docker` command, or the program named in `DOCKER_COMMAND`, was not found on \
        this machine or could not be started. Without a Docker client nothing here can log in to \
        the registry or pull from it, so the other Docker checks cannot run.",
    fixes: &[
        "Install the Docker client: Docker Engine on Linux, Docker Desktop on Windows and macOS.",
        "If Docker is installed, add the folder that contains `docker` to `PATH` and open a new \
         terminal. `command -v docker` (or `where docker` on Windows) shows whether it is found.",
        "If you use a client installed somewhere else, set `DOCKER_COMMAND` to its full path.",
    ],
};

pub(super) const DOCKER_DAEMON: Text = Text {
    title: "Docker daemon not reachable",
    meaning: "The Docker client runs, but it could not reach a Docker daemon: the daemon is \
        stopped, the client may not use its socket, or `DOCKER_HOST` points elsewhere. \
        `docker login`, `docker pull` and `docker push` all go through the daemon, so none of them \
        works until it responds.",
    fixes: &[
        "Run `docker info` and read the error it prints. \"Cannot connect to the Docker daemon\" \
         means no daemon is listening, \"permission denied\" means your user may not use the \
         socket.",
        "On Linux, start the daemon with `sudo systemctl start docker` and check it with \
         `systemctl status docker`. On Windows and macOS, start Docker Desktop and wait until it \
         reports that it is running.",
        "For \"permission denied\", add your user to the `docker` group \
         (`sudo usermod -aG docker $USER`), then sign out and in again.",
        "If `DOCKER_HOST` or a Docker context is set (`docker context ls`), make sure it points at \
         a running daemon.",
        "If the daemon does not start, read its log (`journalctl -u docker`) and repair or \
         reinstall Docker.",
    ],
};

pub(super) const DOCKER_VERSION: Text = Text {
    title: "Docker version unreadable",
    meaning: "`docker --version` failed or printed no version that could be read. The client \
        binary may be damaged or not a Docker client at all, and such a client often fails at \
        other commands too.",
    fixes: &[
        "Run `docker --version` yourself and read its output or error.",
        "Update or reinstall the Docker client.",
        "If `DOCKER_COMMAND` is set, check that it names a Docker client.",
    ],
};

pub(super) const DOCKER_PULL: Text = Text {
    title: "Sample image pull failed",
    meaning: "`docker pull` of the sample image did not complete. A pull needs a running daemon, \
        a network path from the daemon to the registry and to its storage, and working proxy \
        settings for the daemon; one of them failed, so images cannot be pulled on this machine.",
    fixes: &[
        "Read the error in the evidence: \"unauthorized\" points at credentials, \"i/o timeout\" \
         or \"connection refused\" at the network path, \"x509\" at a proxy or a certificate.",
        "Reproduce it by hand: `docker pull mcr.microsoft.com/mcr/hello-world:latest`.",
        "The daemon uses its own proxy settings, not your shell's. `docker info` lists them \
         (HTTP Proxy, HTTPS Proxy, No Proxy); set them in the daemon's configuration and restart \
         it.",
        "Make sure the firewall lets this machine reach both the login server and the storage \
         behind it (`*.data.azurecr.io`, `*.blob.core.windows.net`) on port 443.",
        "If the data path check failed as well, fix that first: it names the host that is \
         blocked.",
    ],
};

pub(super) const HELM_COMMAND: Text = Text {
    title: "Helm client not found",
    meaning: "The `helm` command was not found on this machine. Nothing that works with Helm \
        charts, such as pushing a chart to the registry or installing one from it, can run here. \
        Pulling and pushing container images does not need Helm.",
    fixes: &[
        "Install Helm from its release page or with your package manager.",
        "If Helm is installed, add the folder that contains `helm` to `PATH`, open a new \
         terminal and confirm with `helm version`.",
        "If you do not use Helm on this machine, you can ignore this result.",
    ],
};

pub(super) const HELM_VERSION: Text = Text {
    title: "Helm version unreadable or too old",
    meaning: "`helm version --client` failed, printed no version that could be read, or \
        printed a version below 2.11.0, the minimum this check accepts. Chart work against the \
        registry is likely to fail with this client.",
    fixes: &[
        "Run `helm version` yourself and read its output or error.",
        "Update Helm to a current release.",
        "If several Helm binaries are installed, check which one runs first \
         (`command -v helm`, or `where helm` on Windows).",
    ],
};

pub(super) const CMK: Text = Text {
    title: "Encryption key identity not accessible",
    meaning: "The registry is encrypted with a customer-managed key, which it reaches through a \
        managed identity (system-assigned or user-assigned). The registry cannot use that \
        identity, most often because it was deleted, so requests that need the key fail.",
    fixes: &[
        "Show the encryption settings and the identity they use: \
         `az acr encryption show --name <registry>`.",
        "Check that the identity still exists: `az acr identity show --name <registry>`.",
        "If it was deleted, assign another identity that may read the key, then move the key \
         onto it: `az acr encryption rotate-key --name <registry> --identity <identity>`.",
        "Make sure the key vault still grants that identity get, wrap key and unwrap key on the \
         key.",
    ],
};

pub(super) const CONNECTIVITY_DNS: Text = Text {
    title: "Login server name does not resolve, or resolves to the wrong address",
    meaning: "The login server's host name did not resolve to an address from this machine, or, \
        for a registry with a private endpoint, it resolved to another address than the \
        endpoint's private IP. The name may be misspelt, the registry may not exist or may live \
        in another cloud than the one selected, or the DNS server in use cannot resolve it or \
        does not use the private DNS zone. Without the right address, requests do not reach \
        the registry, or reach its public endpoint instead of the private one.",
    fixes: &[
        "Check the spelling and that the registry exists: \
         `az acr show --name <registry> --query loginServer`.",
        "Select the cloud the registry is in: Azure (`azurecr.io`), Azure China (`azurecr.cn`) \
         or Azure US Government (`azurecr.us`).",
        "Resolve the name yourself to see which DNS server responds: \
         `nslookup <registry>.azurecr.io`.",
        "If the registry has a private endpoint, this machine's DNS must resolve the name \
         through the `privatelink.azurecr.io` zone to the endpoint's private address.",
        "If `az acr show` cannot find a registry you know exists, ask for a role on it: without \
         one you cannot look it up.",
    ],
};

pub(super) const CONNECTIVITY_FORBIDDEN: Text = Text {
    title: "Access denied by network rules (403)",
    meaning: "The registry responded with 403 Forbidden to `GET /v2/` or to the token exchange. \
        It does this when its network rules exclude the client: public network access is disabled, \
        or no firewall or virtual network rule covers the address the request came from. The \
        evidence shows the client IP when the registry named it.",
    fixes: &[
        "Show the rules: `az acr show --name <registry> --query networkRuleSet` and \
         `az acr show --name <registry> --query publicNetworkAccess`.",
        "Allow the client IP from the evidence: \
         `az acr network-rule add --name <registry> --ip-address <client IP>`.",
        "The registry sees the public address your traffic leaves from (a NAT gateway or a \
         proxy), which is often not this machine's own address. Allow that address.",
        "If the registry is meant to be private, connect from a network that reaches it through \
         its private endpoint.",
        "If the rule is not wanted, let all networks in: \
         `az acr update --name <registry> --default-action Allow`.",
    ],
};

pub(super) const CONNECTIVITY_CHALLENGE: Text = Text {
    title: "No authentication challenge",
    meaning: "`GET /v2/` did not return the expected 401 with a `WWW-Authenticate` challenge, \
        but another status such as a 5xx error or 200. Clients learn from that challenge where to \
        ask for a token, so without it no login can start.",
    fixes: &[
        "Look at the status and headers in the evidence to see what came back instead.",
        "A 5xx status is usually a temporary fault of the registry: retry after a few minutes, \
         and check the registry's resource health in the Azure portal.",
        "If a proxy sits between this machine and the registry, make sure it passes the 401 \
         response and its `WWW-Authenticate` header through unchanged.",
        "If it persists, report it with the evidence to whoever runs the registry; for Azure \
         Container Registry, open a support request.",
    ],
};

pub(super) const CONNECTIVITY_AAD_LOGIN: Text = Text {
    title: "Azure AD sign-in not supported",
    meaning: "The registry issued a challenge, but not the Bearer challenge with `realm` and \
        `service` that Azure AD sign-in needs, for example only `Basic`. A registry responding \
        this way does not support Azure AD authentication, so `az acr login` and Azure AD \
        tokens cannot get a registry token.",
    fixes: &[
        "Read the `WWW-Authenticate` header in the evidence: a `Basic` challenge alone means the \
         registry accepts only a user name and password.",
        "Sign in another way: with the admin user (`az acr credential show --name <registry>`) \
         or a token user (`az acr token create --name <token> --registry <registry> \
         --scope-map _repositories_pull`).",
        "If a proxy sits in between, make sure it passes the registry's `WWW-Authenticate` \
         header through unchanged.",
        "Azure AD sign-in works with Azure Container Registry only. For another registry, use \
         the credentials its operator gives you.",
    ],
};

pub(super) const CONNECTIVITY_REFRESH_TOKEN: Text = Text {
    title: "No refresh token from the registry",
    meaning: "The registry did not return a refresh token in exchange for the Azure AD access \
        token (`POST /oauth2/exchange`). Usually the identity has no role on this registry, or \
        the Azure AD token is expired, for another tenant or otherwise stale. Without a refresh \
        token no access token can be requested.",
    fixes: &[
        "Sign in again and retry: `az login`, then `az acr login --name <registry>`.",
        "Check that your identity has a role on the registry, such as AcrPull or AcrPush: \
         `az role assignment list --assignee <your sign-in name> \
         --scope $(az acr show --name <registry> --query id --output tsv)`.",
        "If you pasted a token, get a fresh one for the registry's tenant: \
         `az account get-access-token --tenant <tenant>`.",
        "Check this machine's clock: against a clock that is far off, a valid token looks \
         expired or not yet valid.",
    ],
};

pub(super) const CONNECTIVITY_ACCESS_TOKEN: Text = Text {
    title: "No access token for the repository",
    meaning: "The registry's token endpoint did not return an access token for the requested \
        scope, or returned one that grants fewer actions than were requested. The causes are \
        those of a missing refresh token (no role, stale credentials), or a scope map that does \
        not cover this repository. Without the token the registry rejects the pull or push.",
    fixes: &[
        "Compare the requested actions with the granted ones in the evidence to see which \
         permission is missing.",
        "For an Azure AD identity, check its role on the registry: AcrPull to pull, AcrPush to \
         push.",
        "For a token user, check that its scope map covers this repository: \
         `az acr token show --name <token> --registry <registry>` and \
         `az acr scope-map show --name <scope map> --registry <registry>`.",
        "A refresh token from `az acr login --expose-token` expires after a few hours: get a \
         new one.",
        "For the admin user, compare the password with \
         `az acr credential show --name <registry>`.",
    ],
};

pub(super) const CONNECTIVITY_SSL: Text = Text {
    title: "Secure connection failed (TLS)",
    meaning: "No TLS connection to the login server could be set up: the handshake failed, or \
        the certificate is not trusted, has expired or names another host. Most often a proxy or \
        security appliance intercepts HTTPS and presents its own certificate. No request can be \
        sent safely until the connection is trusted.",
    fixes: &[
        "Look at the certificate issuer in the evidence: a corporate proxy's name there means \
         the traffic is intercepted.",
        "Inspect the certificate yourself: `openssl s_client -connect <login server>:443 \
         -servername <login server>`.",
        "If the proxy is expected, trust its root certificate in the system store and in \
         Docker's (`/etc/docker/certs.d/<login server>/ca.crt`), then restart the daemon.",
        "Or ask for the registry's hosts (the login server, `*.data.azurecr.io`) to be exempted \
         from TLS inspection.",
        "Check this machine's clock: against a clock that is far off, a valid certificate looks \
         expired or not yet valid.",
    ],
};

pub(super) const LOGIN_SERVER: Text = Text {
    title: "Login server not found",
    meaning: "The login server of the registry could not be determined. Either the registry \
        input is not a valid name (no check can run without a login server), or Azure Resource \
        Manager has no registry of that name that the token may read, or the registry found \
        there is in another cloud than the one checked. In the last two cases the registry \
        checks still run against the address given, but it may not be the registry you meant.",
    fixes: &[
        "Enter the registry name (`myregistry`), its login server (`myregistry.azurecr.io`), \
         or `host:port` for a registry that is not in Azure.",
        "Azure Container Registry names have 5 to 50 letters and digits and nothing else; check \
         for typos.",
        "Select the cloud the registry is in, so that the right suffix is used (`azurecr.io`, \
         `azurecr.cn`, `azurecr.us`).",
        "Confirm the login server: `az acr show --name <registry> --query loginServer --output \
         tsv`.",
    ],
};

pub(super) const NOTARY_VERSION: Text = Text {
    title: "Incompatible Notary client",
    meaning: "The installed Notary client is version 0.6.0 or later, which is not compatible \
        with the registry's content trust support. Signing and verifying images with Docker \
        Content Trust may fail; pulls and pushes without content trust are not affected.",
    fixes: &[
        "Check the version: `notary version`.",
        "Install a Notary release earlier than 0.6.0 and make sure it is the one on `PATH`.",
        "If you do not sign images with Docker Content Trust, you can ignore this result.",
    ],
};

pub(super) const CONNECTIVITY_NETWORK: Text = Text {
    title: "Registry not reachable from this browser",
    meaning: "The browser's request to the login server failed before any HTTP response \
        came back. A web page learns only that the request failed: a name that does not resolve, a \
        TLS failure, a refused connection and a firewall or proxy that blocks the traffic all \
        look the same to it. Until the registry is reachable, nothing else can be checked from \
        this page.",
    fixes: &[
        "Run the helper, which checks from this machine's own network stack and tells DNS, TLS, \
         refused and blocked apart: `acr-health-helper serve`, or `cargo xtask run` from a \
         checkout of acr-health.",
        "Open `https://<login server>/v2/` in a new tab. A browser error page confirms that the \
         network path is broken; an `UNAUTHORIZED` response means the registry is reachable and \
         something in this browser (an extension or a policy) blocked the page's request.",
        "Check the spelling of the registry name and the selected cloud.",
        "On a corporate network, ask whether the proxy and firewall allow the login server on \
         port 443.",
        "If the registry has a private endpoint, run the check from a network that reaches it.",
    ],
};

pub(super) const CONNECTIVITY_CORS: Text = Text {
    title: "Responses hidden from this page (CORS)",
    meaning: "The registry responded, so DNS, the connection and TLS work from this browser. But \
        it does not allow this page's origin to read its responses (CORS), so the browser hides \
        their status and headers and the challenge, token and data path checks cannot run here. \
        Docker, the Azure CLI and other clients outside a browser are not subject to CORS.",
    fixes: &[
        "Start the helper on this machine with `acr-health-helper serve` and use the page it \
         opens: it runs the remaining checks from the machine's own network stack, where CORS \
         does not apply.",
        "From a checkout of acr-health, `cargo xtask run` builds the page and starts the helper \
         that serves it.",
        "Or run every check from a terminal: `acr-health-helper check <registry>`.",
        "Azure Container Registry has no CORS setting, so for it the helper is the only way to \
         the full diagnosis.",
        "For a registry you run yourself on CNCF distribution, allow this page under \
         `http.headers` in its configuration: `Access-Control-Allow-Origin` with the page's \
         origin, and `Access-Control-Expose-Headers: WWW-Authenticate` so the page can read the \
         challenge. Its token server needs the same origin allowed.",
    ],
};

pub(super) const CONNECTIVITY_TOO_MANY_REQUESTS: Text = Text {
    title: "Requests throttled (429)",
    meaning: "The registry responded with 429 Too Many Requests: it limits how many requests this \
        client, or the registry as a whole, may send. It rejects requests until the limit \
        resets, so pulls and pushes fail for a while even though nothing is misconfigured.",
    fixes: &[
        "Wait for the time in the `Retry-After` header, when the evidence shows one, and run \
         the check again.",
        "Look for jobs that pull or push in tight loops, or many nodes pulling the same image at \
         once, and spread them out.",
        "If throttling happens under normal load, move the registry to a tier with higher \
         limits: `az acr update --name <registry> --sku Premium`.",
        "For a public registry that limits anonymous pulls, sign in so that your account's \
         limit applies.",
    ],
};

pub(super) const CLOCK_SKEW: Text = Text {
    title: "Clock differs from the registry's",
    meaning: "This machine's clock differs from the time in the registry's `Date` header by more \
        than a few minutes; the evidence shows both times. Tokens (`nbf`, `exp`) and \
        certificates are valid only within a time window, so a clock that is off makes valid \
        ones look expired or not yet valid, and sign-ins fail in ways that are hard to explain.",
    fixes: &[
        "Turn on automatic time synchronization. On Linux, `timedatectl set-ntp true`, then \
         check with `timedatectl status`; on Windows, `w32tm /resync`.",
        "On a virtual machine or in WSL, make sure the guest resynchronizes its clock with the \
         host after a suspend.",
        "Check the time zone setting: the right local time in the wrong zone is still a wrong \
         clock.",
    ],
};

pub(super) const CONNECTIVITY_DATA_ENDPOINT: Text = Text {
    title: "Data endpoint or storage blocked",
    meaning: "Login works, but downloading image content failed. The registry redirects blob \
        downloads to a data endpoint (`<registry>.<region>.data.azurecr.io`) or to storage \
        (`*.blob.core.windows.net`), and that host could not be reached or rejected the request. \
        This is why `docker login` succeeds and `docker pull` fails when a firewall or proxy \
        allows only the login server.",
    fixes: &[
        "Find the host the redirect pointed to in the evidence (`location`).",
        "Allow that host through the firewall and proxy on port 443: \
         `<registry>.<region>.data.azurecr.io` when dedicated data endpoints are on, otherwise \
         `*.blob.core.windows.net`.",
        "List the registry's data endpoints: `az acr show-endpoints --name <registry>`.",
        "To allow one narrow host instead of all of storage, turn on dedicated data endpoints \
         (Premium tier only): `az acr update --name <registry> --data-endpoint-enabled true`.",
        "With a private endpoint, the data endpoint's name must resolve to a private address \
         as well: `nslookup <registry>.<region>.data.azurecr.io`.",
    ],
};

pub(super) const ARM_TOKEN: Text = Text {
    title: "ARM access token unusable",
    meaning: "No usable access token for Azure Resource Manager (ARM): the token has expired, \
        is for another resource than ARM, was rejected by ARM, or could not be obtained from \
        the Azure CLI; the finding names which. Without it the registry's settings in Azure \
        (network rules, private endpoints, encryption key) cannot be read, so those checks did \
        not run.",
    fixes: &[
        "Get a fresh token for ARM and give it again (paste it in the page, or pipe it to \
         `acr-health-helper check --arm-token-stdin`): \
         `az account get-access-token --resource https://management.azure.com/ --query accessToken --output tsv`.",
        "For Azure China or Azure US Government, request the token for that cloud's ARM \
         (`https://management.chinacloudapi.cn/` or `https://management.usgovcloudapi.net/`) \
         and check the registry in the same cloud.",
        "Give the whole token: it is three parts separated by dots, with no quotes.",
        "To let the helper use your Azure CLI sign-in instead, run `az login`, then tick the \
         az login option in the page or pass `--arm-from-az` to `acr-health-helper check`.",
    ],
};
