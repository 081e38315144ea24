//! The catalog's Korean texts, one constant per code, in catalog order.
//!
//! Written for Korean engineers rather than translated sentence by sentence: product, command
//! and protocol names stay in English as they are used at work.

use super::Text;

pub(super) const DOCKER_COMMAND: Text = Text {
    title: "Docker 클라이언트를 찾을 수 없음",
    meaning: "이 머신에서 `docker` 명령(또는 `DOCKER_COMMAND`에 지정한 프로그램)을 찾지 못했거나 \
        실행하지 못했습니다. Docker 클라이언트가 없으면 여기서는 레지스트리에 로그인하거나 이미지를 \
        pull할 수 없으므로, 나머지 Docker 점검도 진행할 수 없습니다.",
    fixes: &[
        "Docker 클라이언트를 설치하세요. Linux는 Docker Engine, Windows와 macOS는 Docker Desktop을 \
         쓰면 됩니다.",
        "이미 설치되어 있다면 `docker`가 있는 폴더를 `PATH`에 추가하고 터미널을 새로 여세요. \
         `command -v docker`(Windows는 `where docker`)로 잡히는지 확인할 수 있습니다.",
        "다른 위치에 설치한 클라이언트를 쓴다면 `DOCKER_COMMAND`에 전체 경로를 지정하세요.",
    ],
};

pub(super) const DOCKER_DAEMON: Text = Text {
    title: "Docker 데몬에 연결할 수 없음",
    meaning: "Docker 클라이언트는 실행되지만 데몬에 연결하지 못했습니다. 데몬이 멈춰 있거나, 현재 \
        사용자에게 소켓 권한이 없거나, `DOCKER_HOST`가 다른 곳을 가리키는 경우입니다. \
        `docker login`, `docker pull`, `docker push`는 모두 데몬을 거치기 때문에 데몬이 응답하기 \
        전까지는 어느 것도 동작하지 않습니다.",
    fixes: &[
        "`docker info`를 실행해서 에러 메시지를 확인하세요. \"Cannot connect to the Docker \
         daemon\"이면 데몬이 떠 있지 않은 것이고, \"permission denied\"면 현재 사용자에게 소켓 \
         권한이 없는 것입니다.",
        "Linux에서는 `sudo systemctl start docker`로 데몬을 띄우고 `systemctl status docker`로 \
         상태를 확인하세요. Windows와 macOS에서는 Docker Desktop을 실행하고 실행 중으로 표시될 \
         때까지 기다리세요.",
        "\"permission denied\"라면 사용자를 `docker` 그룹에 추가(`sudo usermod -aG docker $USER`)한 \
         뒤 로그아웃했다가 다시 로그인하세요.",
        "`DOCKER_HOST`나 Docker 컨텍스트(`docker context ls`)를 설정해 두었다면 실행 중인 데몬을 \
         가리키는지 확인하세요.",
        "데몬이 뜨지 않으면 로그(`journalctl -u docker`)를 보고 Docker를 복구하거나 재설치하세요.",
    ],
};

pub(super) const DOCKER_VERSION: Text = Text {
    title: "Docker 버전을 확인할 수 없음",
    meaning: "`docker --version`이 실패했거나 버전으로 읽을 수 있는 내용을 출력하지 않았습니다. \
        클라이언트 바이너리가 손상됐거나 Docker 클라이언트가 아닐 수 있고, 이런 클라이언트는 다른 \
        명령도 실패하기 쉽습니다.",
    fixes: &[
        "`docker --version`을 직접 실행해서 출력이나 에러를 확인하세요.",
        "Docker 클라이언트를 업데이트하거나 재설치하세요.",
        "`DOCKER_COMMAND`를 설정했다면 Docker 클라이언트를 가리키는지 확인하세요.",
    ],
};

pub(super) const DOCKER_PULL: Text = Text {
    title: "샘플 이미지 pull 실패",
    meaning: "샘플 이미지의 `docker pull`이 완료되지 않았습니다. pull이 되려면 데몬이 실행 중이어야 \
        하고, 데몬에서 레지스트리와 그 뒤의 스토리지까지 네트워크가 열려 있어야 하며, 데몬의 프록시 \
        설정도 맞아야 합니다. 이 중 하나가 막혀 있어서 이 머신에서는 이미지를 pull할 수 없습니다.",
    fixes: &[
        "근거 항목의 에러 메시지를 보세요. \"unauthorized\"는 자격 증명 문제, \"i/o timeout\"이나 \
         \"connection refused\"는 네트워크 경로 문제, \"x509\"는 프록시나 인증서 문제입니다.",
        "직접 재현해 보세요: `docker pull mcr.microsoft.com/mcr/hello-world:latest`.",
        "데몬은 셸의 프록시 환경 변수가 아니라 자체 프록시 설정을 씁니다. `docker info`의 \
         HTTP Proxy, HTTPS Proxy, No Proxy 항목을 확인하고, 데몬 설정에서 고친 뒤 데몬을 \
         재시작하세요.",
        "방화벽에서 로그인 서버와 그 뒤의 스토리지(`*.data.azurecr.io`, \
         `*.blob.core.windows.net`) 양쪽으로 443 포트가 열려 있는지 확인하세요.",
        "데이터 경로 점검도 실패했다면 그쪽부터 해결하세요. 어느 호스트가 막혔는지 알려 줍니다.",
    ],
};

pub(super) const HELM_COMMAND: Text = Text {
    title: "Helm 클라이언트를 찾을 수 없음",
    meaning:
        "이 머신에서 `helm` 명령을 찾지 못했습니다. 레지스트리에 차트를 push하거나 레지스트리의 \
        차트를 설치하는 등 Helm 차트 작업은 여기서 할 수 없습니다. 컨테이너 이미지 pull과 push에는 \
        Helm이 필요 없습니다.",
    fixes: &[
        "Helm 릴리스 페이지나 패키지 관리자로 Helm을 설치하세요.",
        "이미 설치되어 있다면 `helm`이 있는 폴더를 `PATH`에 추가하고 터미널을 새로 연 뒤 \
         `helm version`으로 확인하세요.",
        "이 머신에서 Helm을 쓰지 않는다면 이 결과는 무시해도 됩니다.",
    ],
};

pub(super) const HELM_VERSION: Text = Text {
    title: "Helm 버전 확인 불가 또는 구버전",
    meaning: "`helm version --client`가 실패했거나, 출력에서 버전을 읽을 수 없었거나, 이 점검이 \
        요구하는 최소 버전인 2.11.0보다 낮습니다. 이 클라이언트로는 레지스트리 차트 작업이 실패할 \
        가능성이 큽니다.",
    fixes: &[
        "`helm version`을 직접 실행해서 출력이나 에러를 확인하세요.",
        "Helm을 최신 릴리스로 업데이트하세요.",
        "Helm 바이너리가 여러 개 설치되어 있다면 `command -v helm`(Windows는 `where helm`)으로 어느 것이 먼저 실행되는지 확인하세요.",
    ],
};

pub(super) const CMK: Text = Text {
    title: "암호화 키용 관리 ID에 접근할 수 없음",
    meaning: "이 레지스트리는 고객 관리형 키로 암호화되어 있고, 키에는 관리 ID(시스템 할당 또는 \
        사용자 할당)를 통해 접근합니다. 레지스트리가 이 ID를 쓸 수 없는 상태인데, 대부분 ID가 삭제된 \
        경우입니다. 그래서 키가 필요한 요청은 실패합니다.",
    fixes: &[
        "암호화 설정과 거기에 쓰인 ID를 확인하세요: `az acr encryption show --name <registry>`.",
        "ID가 아직 있는지 확인하세요: `az acr identity show --name <registry>`.",
        "ID가 삭제됐다면 키를 읽을 수 있는 다른 ID를 할당한 뒤 키를 그 ID로 옮기세요: \
         `az acr encryption rotate-key --name <registry> --identity <identity>`.",
        "Key Vault에서 해당 ID에 키의 get, wrap key, unwrap key 권한이 아직 있는지 확인하세요.",
    ],
};

pub(super) const CONNECTIVITY_DNS: Text = Text {
    title: "로그인 서버 이름이 해석되지 않거나 다른 주소로 해석됨",
    meaning: "이 머신에서 로그인 서버 호스트 이름을 주소로 해석하지 못했거나, 프라이빗 엔드포인트가 \
        있는 레지스트리인데 엔드포인트의 사설 IP가 아닌 다른 주소로 해석했습니다. 이름에 오타가 \
        있거나, 레지스트리가 없거나 선택한 것과 다른 클라우드에 있거나, 지금 쓰는 DNS 서버가 이 \
        이름에 답하지 못하거나 프라이빗 DNS 영역을 쓰지 않는 경우입니다. 올바른 주소를 모르면 요청이 \
        레지스트리에 닿지 않거나, 프라이빗 엔드포인트 대신 공용 엔드포인트로 갑니다.",
    fixes: &[
        "이름 철자와 레지스트리가 실제로 있는지 확인하세요: \
         `az acr show --name <registry> --query loginServer`.",
        "레지스트리가 있는 클라우드를 선택하세요: Azure(`azurecr.io`), Azure China(`azurecr.cn`), \
         Azure US Government(`azurecr.us`).",
        "어느 DNS 서버가 응답하는지 직접 조회해 보세요: `nslookup <registry>.azurecr.io`.",
        "프라이빗 엔드포인트를 쓰는 레지스트리라면, 이 머신의 DNS가 `privatelink.azurecr.io` 영역을 \
         거쳐 엔드포인트의 사설 IP로 해석해야 합니다.",
        "분명히 있는 레지스트리인데 `az acr show`가 찾지 못한다면 그 레지스트리에 대한 역할을 \
         요청하세요. 역할이 없으면 조회 자체가 되지 않습니다.",
    ],
};

pub(super) const CONNECTIVITY_FORBIDDEN: Text = Text {
    title: "네트워크 규칙에 막힘 (403)",
    meaning: "레지스트리가 `GET /v2/` 또는 토큰 교환 요청에 403 Forbidden으로 응답했습니다. \
        레지스트리의 네트워크 규칙이 이 클라이언트를 허용하지 않을 때의 응답으로, 퍼블릭 네트워크 \
        액세스가 꺼져 있거나 요청이 나온 주소에 맞는 방화벽 규칙이나 가상 네트워크 규칙이 없는 \
        경우입니다. 레지스트리가 응답에 클라이언트 IP를 적어 주었다면 근거 항목에 표시됩니다.",
    fixes: &[
        "규칙을 확인하세요: `az acr show --name <registry> --query networkRuleSet`, \
         `az acr show --name <registry> --query publicNetworkAccess`.",
        "근거 항목에 나온 클라이언트 IP를 허용하세요: \
         `az acr network-rule add --name <registry> --ip-address <client IP>`.",
        "레지스트리가 보는 주소는 트래픽이 실제로 나가는 공인 IP(NAT 게이트웨이나 프록시)여서 이 \
         머신 자체의 IP와 다른 경우가 많습니다. 그 공인 IP를 허용해야 합니다.",
        "프라이빗으로만 쓰는 레지스트리라면 프라이빗 엔드포인트로 연결되는 네트워크에서 접속하세요.",
        "규칙이 필요 없다면 모든 네트워크를 허용하세요: \
         `az acr update --name <registry> --default-action Allow`.",
    ],
};

pub(super) const CONNECTIVITY_CHALLENGE: Text = Text {
    title: "인증 챌린지가 오지 않음",
    meaning: "`GET /v2/`에 기대한 401과 `WWW-Authenticate` 챌린지 대신 5xx 에러나 200 같은 다른 \
        상태 코드가 왔습니다. 클라이언트는 이 챌린지를 보고 토큰을 어디서 받을지 알기 때문에, \
        챌린지가 없으면 로그인을 시작할 수 없습니다.",
    fixes: &[
        "근거 항목의 상태 코드와 헤더를 보고 챌린지 대신 무엇이 왔는지 확인하세요.",
        "5xx는 대개 레지스트리 쪽의 일시적인 장애입니다. 몇 분 뒤 다시 시도하고, Azure Portal에서 \
         레지스트리의 리소스 상태(Resource health)를 확인하세요.",
        "중간에 프록시가 있다면 401 응답과 `WWW-Authenticate` 헤더를 그대로 통과시키는지 \
         확인하세요.",
        "계속 재현되면 근거 항목을 첨부해서 레지스트리 운영자에게 알리세요. Azure Container \
         Registry라면 지원 요청을 여세요.",
    ],
};

pub(super) const CONNECTIVITY_AAD_LOGIN: Text = Text {
    title: "Azure AD 로그인 미지원",
    meaning: "레지스트리가 챌린지는 보냈지만, Azure AD 로그인에 필요한 `realm`과 `service`가 담긴 \
        Bearer 챌린지가 아닙니다(예: `Basic`만 옴). 이렇게 응답하는 레지스트리는 Azure AD 인증을 \
        지원하지 않으므로 `az acr login`이나 Azure AD 토큰으로는 레지스트리 토큰을 받을 수 없습니다.",
    fixes: &[
        "근거 항목의 `WWW-Authenticate` 헤더를 확인하세요. `Basic` 챌린지만 있다면 사용자 이름과 \
         비밀번호만 받는 레지스트리입니다.",
        "다른 방법으로 로그인하세요: admin 계정(`az acr credential show --name <registry>`)이나 \
         토큰 사용자(`az acr token create --name <token> --registry <registry> \
         --scope-map _repositories_pull`).",
        "중간에 프록시가 있다면 레지스트리의 `WWW-Authenticate` 헤더를 그대로 통과시키는지 \
         확인하세요.",
        "Azure AD 로그인은 Azure Container Registry에서만 됩니다. 다른 레지스트리는 운영자가 발급한 \
         자격 증명을 쓰세요.",
    ],
};

pub(super) const CONNECTIVITY_REFRESH_TOKEN: Text = Text {
    title: "레지스트리에서 리프레시 토큰을 받지 못함",
    meaning:
        "Azure AD 액세스 토큰을 교환하는 요청(`POST /oauth2/exchange`)에 레지스트리가 리프레시 \
        토큰을 돌려주지 않았습니다. 보통 해당 ID에 이 레지스트리에 대한 역할이 없거나, Azure AD \
        토큰이 만료됐거나 다른 테넌트의 것이거나 오래된 경우입니다. 리프레시 토큰이 없으면 액세스 \
        토큰도 요청할 수 없습니다.",
    fixes: &[
        "다시 로그인한 뒤 재시도하세요: `az login` 후 `az acr login --name <registry>`.",
        "내 ID에 AcrPull이나 AcrPush 같은 역할이 할당되어 있는지 확인하세요: \
         `az role assignment list --assignee <로그인 계정> \
         --scope $(az acr show --name <registry> --query id --output tsv)`.",
        "토큰을 직접 붙여 넣었다면 레지스트리가 속한 테넌트로 새 토큰을 받으세요: \
         `az account get-access-token --tenant <tenant>`.",
        "이 머신의 시계를 확인하세요. 시계가 많이 어긋나 있으면 유효한 토큰도 만료됐거나 아직 \
         유효하지 않은 것으로 보입니다.",
    ],
};

pub(super) const CONNECTIVITY_ACCESS_TOKEN: Text = Text {
    title: "리포지토리 액세스 토큰을 받지 못함",
    meaning: "레지스트리의 토큰 엔드포인트가 요청한 스코프의 액세스 토큰을 주지 않았거나, 요청한 \
        것보다 적은 action만 담긴 토큰을 주었습니다. 원인은 리프레시 토큰 때와 같거나(역할 없음, \
        오래된 자격 증명) 스코프 맵에 이 리포지토리가 빠져 있는 경우입니다. 이 토큰이 없으면 \
        레지스트리가 pull이나 push를 거부합니다.",
    fixes: &[
        "근거 항목에서 요청한 action과 실제로 부여된 action을 비교해 어떤 권한이 빠졌는지 \
         확인하세요.",
        "Azure AD ID라면 레지스트리에 대한 역할을 확인하세요. pull에는 AcrPull, push에는 AcrPush가 \
         필요합니다.",
        "토큰 사용자라면 스코프 맵에 이 리포지토리가 들어 있는지 확인하세요: \
         `az acr token show --name <token> --registry <registry>`, \
         `az acr scope-map show --name <scope map> --registry <registry>`.",
        "`az acr login --expose-token`으로 받은 리프레시 토큰은 몇 시간 뒤 만료됩니다. 새로 \
         받으세요.",
        "admin 계정이라면 `az acr credential show --name <registry>`로 비밀번호를 다시 확인하세요.",
    ],
};

pub(super) const CONNECTIVITY_SSL: Text = Text {
    title: "보안 연결(TLS) 실패",
    meaning:
        "로그인 서버와 TLS 연결을 맺지 못했습니다. 핸드셰이크가 실패했거나, 인증서를 신뢰할 수 \
        없거나 만료됐거나 다른 호스트용입니다. 대부분은 프록시나 보안 장비가 HTTPS를 가로채서 자체 \
        인증서를 내미는 경우입니다. 연결을 신뢰할 수 있기 전까지는 어떤 요청도 안전하게 보낼 수 \
        없습니다.",
    fixes: &[
        "근거 항목에서 인증서 발급자를 확인하세요. 회사 프록시 이름이 보이면 트래픽을 중간에서 \
         가로채고 있는 것입니다.",
        "인증서를 직접 확인해 보세요: \
         `openssl s_client -connect <login server>:443 -servername <login server>`.",
        "의도된 프록시라면 그 루트 인증서를 시스템 인증서 저장소와 \
         Docker 인증서 경로(`/etc/docker/certs.d/<login server>/ca.crt`)에 등록하고 데몬을 \
         재시작하세요.",
        "또는 레지스트리 호스트(로그인 서버, `*.data.azurecr.io`)를 TLS 검사 예외로 등록해 달라고 \
         요청하세요.",
        "이 머신의 시계를 확인하세요. 시계가 많이 어긋나 있으면 유효한 인증서도 만료됐거나 아직 \
         유효하지 않은 것으로 보입니다.",
    ],
};

pub(super) const LOGIN_SERVER: Text = Text {
    title: "로그인 서버를 찾을 수 없음",
    meaning: "레지스트리의 로그인 서버를 확정하지 못했습니다. 입력한 레지스트리 이름이 올바르지 \
        않거나(로그인 서버가 없으면 어떤 점검도 실행할 수 없습니다), Azure Resource Manager에서 이 \
        토큰으로 읽을 수 있는 같은 이름의 레지스트리가 없거나, 찾은 레지스트리가 점검한 것과 다른 \
        클라우드에 있는 경우입니다. 뒤의 두 경우에는 입력한 주소로 레지스트리 점검이 그대로 \
        실행되지만, 원래 의도한 레지스트리가 아닐 수 있습니다.",
    fixes: &[
        "레지스트리 이름(`myregistry`)이나 로그인 서버(`myregistry.azurecr.io`)를 입력하세요. \
         Azure 밖의 레지스트리라면 `host:port` 형식으로 입력하면 됩니다.",
        "Azure Container Registry 이름은 영문자와 숫자로만 된 5~50자입니다. 오타가 없는지 \
         확인하세요.",
        "레지스트리가 있는 클라우드를 선택해야 올바른 접미사(`azurecr.io`, `azurecr.cn`, \
         `azurecr.us`)가 붙습니다.",
        "로그인 서버를 확인하세요: \
         `az acr show --name <registry> --query loginServer --output tsv`.",
    ],
};

pub(super) const NOTARY_VERSION: Text = Text {
    title: "호환되지 않는 Notary 클라이언트",
    meaning: "설치된 Notary 클라이언트가 0.6.0 이상인데, 이 버전은 레지스트리의 콘텐츠 신뢰(content \
        trust) 기능과 호환되지 않습니다. Docker Content Trust로 이미지를 서명하거나 검증하는 작업은 \
        실패할 수 있지만, 콘텐츠 신뢰를 쓰지 않는 pull과 push에는 영향이 없습니다.",
    fixes: &[
        "버전을 확인하세요: `notary version`.",
        "0.6.0보다 낮은 Notary 릴리스를 설치하고, `PATH`에서 그 바이너리가 먼저 잡히는지 \
         확인하세요.",
        "Docker Content Trust로 이미지를 서명하지 않는다면 이 결과는 무시해도 됩니다.",
    ],
};

pub(super) const CONNECTIVITY_NETWORK: Text = Text {
    title: "이 브라우저에서 레지스트리에 연결할 수 없음",
    meaning: "브라우저가 로그인 서버로 보낸 요청이 HTTP 응답을 받기 전에 실패했습니다. 웹 페이지는 \
        요청이 실패했다는 사실만 알 수 있어서 DNS 해석 실패, TLS 실패, 연결 거부, 방화벽이나 프록시 \
        차단을 서로 구분하지 못합니다. 레지스트리에 연결되기 전까지는 이 페이지에서 다른 점검을 \
        진행할 수 없습니다.",
    fixes: &[
        "헬퍼를 실행하세요. 헬퍼는 이 머신의 네트워크 스택으로 직접 점검하기 때문에 DNS, TLS, 연결 \
         거부, 차단을 구분해서 알려 줍니다: `acr-health-helper serve`, 또는 acr-health 소스에서 \
         `cargo xtask run`.",
        "새 탭에서 `https://<login server>/v2/`를 열어 보세요. 브라우저 에러 페이지가 뜨면 네트워크 \
         경로 문제가 맞고, `UNAUTHORIZED` 응답이 보이면 레지스트리에는 닿지만 이 브라우저의 \
         무언가(확장 프로그램이나 정책)가 페이지의 요청을 막은 것입니다.",
        "레지스트리 이름 철자와 선택한 클라우드를 확인하세요.",
        "회사 네트워크라면 프록시와 방화벽이 로그인 서버의 443 포트를 허용하는지 네트워크 담당자에게 \
         확인하세요.",
        "프라이빗 엔드포인트를 쓰는 레지스트리라면 그 엔드포인트에 닿는 네트워크에서 점검하세요.",
    ],
};

pub(super) const CONNECTIVITY_CORS: Text = Text {
    title: "응답 읽기가 차단됨 (CORS)",
    meaning: "레지스트리가 응답했으므로 이 브라우저에서 DNS, 연결, TLS는 정상입니다. 하지만 \
        레지스트리가 이 페이지의 origin에 응답 읽기를 허용하지 않아서(CORS) 브라우저가 상태 코드와 \
        헤더를 숨기고, 그래서 챌린지, 토큰, 데이터 경로 점검은 여기서 할 수 없습니다. Docker나 \
        Azure CLI처럼 브라우저 밖에서 쓰는 클라이언트는 CORS의 영향을 받지 않습니다.",
    fixes: &[
        "이 머신에서 `acr-health-helper serve`로 헬퍼를 띄우고 헬퍼가 열어 주는 페이지를 쓰세요. \
         남은 점검을 CORS 제약이 없는 머신의 네트워크 스택에서 실행합니다.",
        "acr-health 소스가 있다면 `cargo xtask run` 한 번으로 페이지를 빌드하고 그 페이지를 서빙하는 \
         헬퍼까지 띄울 수 있습니다.",
        "터미널에서 전체 점검을 돌릴 수도 있습니다: `acr-health-helper check <registry>`.",
        "Azure Container Registry에는 CORS 설정이 없어서, ACR은 헬퍼를 써야만 전체 진단을 받을 수 \
         있습니다.",
        "CNCF distribution으로 직접 운영하는 레지스트리라면 설정 파일의 `http.headers`에서 이 \
         페이지를 허용하세요. `Access-Control-Allow-Origin`에 페이지의 origin을 넣고, 페이지가 \
         챌린지를 읽을 수 있도록 `Access-Control-Expose-Headers: WWW-Authenticate`도 추가해야 \
         합니다. 토큰 서버에도 같은 origin을 허용해야 합니다.",
    ],
};

pub(super) const CONNECTIVITY_TOO_MANY_REQUESTS: Text = Text {
    title: "요청 제한에 걸림 (429)",
    meaning:
        "레지스트리가 429 Too Many Requests로 응답했습니다. 이 클라이언트나 레지스트리 전체가 \
        보낼 수 있는 요청 수를 제한하고 있다는 뜻입니다. 제한이 풀릴 때까지 요청이 거부되므로, \
        설정에 문제가 없어도 한동안 pull과 push가 실패합니다.",
    fixes: &[
        "근거 항목에 `Retry-After` 헤더가 있으면 그 시간만큼 기다렸다가 다시 점검하세요.",
        "짧은 주기로 pull이나 push를 반복하는 작업, 여러 노드가 같은 이미지를 동시에 pull하는 \
         상황이 없는지 보고 요청을 분산하세요.",
        "평소 부하에서도 제한에 걸린다면 한도가 더 높은 SKU로 올리세요: \
         `az acr update --name <registry> --sku Premium`.",
        "익명 pull을 제한하는 퍼블릭 레지스트리라면 로그인해서 계정 한도가 적용되게 하세요.",
    ],
};

pub(super) const CLOCK_SKEW: Text = Text {
    title: "레지스트리와 시계가 어긋남",
    meaning: "이 머신의 시계가 레지스트리 `Date` 헤더의 시각과 몇 분 넘게 차이 납니다. 두 시각은 \
        근거 항목에 있습니다. 토큰(`nbf`, `exp`)과 인증서는 정해진 시간 범위 안에서만 유효하기 \
        때문에, 시계가 틀어져 있으면 유효한 것도 만료됐거나 아직 유효하지 않은 것으로 판단되어 원인을 \
        알기 어려운 로그인 실패가 생깁니다.",
    fixes: &[
        "자동 시간 동기화를 켜세요. Linux는 `timedatectl set-ntp true` 후 `timedatectl status`로 \
         확인하고, Windows는 `w32tm /resync`를 실행하세요.",
        "VM이나 WSL이라면 절전이나 일시 중지 후에 게스트 시계가 호스트와 다시 동기화되는지 \
         확인하세요.",
        "시간대 설정도 확인하세요. 시간대가 틀리면 화면의 현지 시각이 맞아 보여도 실제 시계는 틀린 \
         것입니다.",
    ],
};

pub(super) const CONNECTIVITY_DATA_ENDPOINT: Text = Text {
    title: "데이터 엔드포인트 또는 스토리지 차단",
    meaning: "로그인은 되지만 이미지 내용을 내려받지 못했습니다. 레지스트리는 blob 다운로드를 데이터 \
        엔드포인트(`<registry>.<region>.data.azurecr.io`)나 스토리지(`*.blob.core.windows.net`)로 \
        리디렉션하는데, 그 호스트에 연결하지 못했거나 요청이 거부됐습니다. 방화벽이나 프록시가 로그인 \
        서버만 열어 두었을 때 `docker login`은 되는데 `docker pull`은 실패하는 전형적인 경우입니다.",
    fixes: &[
        "근거 항목의 `location`에서 리디렉션된 호스트를 확인하세요.",
        "방화벽과 프록시에서 그 호스트의 443 포트를 허용하세요. 전용 데이터 엔드포인트를 켰다면 \
         `<registry>.<region>.data.azurecr.io`, 아니면 `*.blob.core.windows.net`입니다.",
        "레지스트리의 데이터 엔드포인트 목록을 확인하세요: `az acr show-endpoints --name <registry>`.",
        "스토리지 전체 대신 좁은 호스트 하나만 허용하고 싶다면 전용 데이터 엔드포인트를 켜세요 \
         (Premium SKU만 지원): `az acr update --name <registry> --data-endpoint-enabled true`.",
        "프라이빗 엔드포인트를 쓴다면 데이터 엔드포인트 이름도 사설 IP로 해석되어야 합니다: \
         `nslookup <registry>.<region>.data.azurecr.io`.",
    ],
};

pub(super) const ARM_TOKEN: Text = Text {
    title: "ARM 액세스 토큰을 쓸 수 없음",
    meaning: "Azure Resource Manager(ARM)에 쓸 액세스 토큰이 없습니다. 토큰이 만료됐거나, ARM이 아닌 \
        다른 리소스용이거나, ARM이 거부했거나, Azure CLI에서 토큰을 받지 못한 경우입니다. 어느 \
        경우인지는 점검 결과에 나옵니다. 토큰이 없으면 Azure에 있는 레지스트리 설정(네트워크 규칙, \
        프라이빗 엔드포인트, 암호화 키)을 읽을 수 없어서 해당 점검은 실행하지 않았습니다.",
    fixes: &[
        "ARM용 토큰을 새로 받아 다시 넣으세요(페이지에 붙여 넣거나 \
         `acr-health-helper check --arm-token-stdin`에 파이프로 넘깁니다): \
         `az account get-access-token --resource https://management.azure.com/ --query accessToken --output tsv`.",
        "Azure 중국이나 Azure 미국 정부 클라우드라면 해당 클라우드의 ARM(`https://management.chinacloudapi.cn/` \
         또는 `https://management.usgovcloudapi.net/`)용 토큰을 받고, 레지스트리도 같은 클라우드로 점검하세요.",
        "토큰 전체를 넣으세요. 토큰은 점으로 나뉜 세 부분이며 따옴표로 감싸지 않습니다.",
        "헬퍼가 Azure CLI 로그인을 대신 쓰게 하려면 `az login` 후 페이지에서 az 로그인 사용 옵션을 \
         켜거나 `acr-health-helper check`에 `--arm-from-az`를 주세요.",
    ],
};
