// acr-health for portals: the <acr-health> custom element and the JavaScript API, in one
// module. Import it from the folder where the built page (dist/) is served:
//
//   <script type="module" src="https://tools.example/acr-health/www/acr-health.js"></script>
//   <acr-health registry="myregistry" lang="en" autorun></acr-health>
//
//   import { load } from "https://tools.example/acr-health/www/acr-health.js";
//   const api = await load();
//   const report = await api.runChecks({ registry: "myregistry" });
//
// The element frames the page (index.html beside this folder) with `embedder=` set to this
// page's origin, and turns the page's messages into DOM events: `acr-health-progress` with one
// result, `acr-health-report` with `{report, link}`. The last report is also in `.report`.
//
// The element takes no ARM token: its attributes become the framed page's address, and a token
// never goes into an address. `arm-url` and `arm-registry` are passed on; the user pastes the
// token into the page. A portal that has a token passes it to runChecks({ armToken }) instead.
//
// load() fetches the WebAssembly module once and returns { runChecks, decodeShareLink,
// shareLink, renderReport }. Nothing is loaded from any other host. From another origin than
// the page's, both need CORS (Access-Control-Allow-Origin) on the page's files.

const pageRoot = new URL("../", import.meta.url);

let loading = null;

/** Loads the WebAssembly module once, without mounting the page, and returns its API. */
export function load() {
  if (loading === null) {
    loading = (async () => {
      // The module mounts the whole page unless it finds this attribute.
      document.documentElement.setAttribute("data-acr-health-library", "");
      const module = await import(new URL("acr_health.js", pageRoot).href);
      await module.default({ module_or_path: new URL("acr_health_bg.wasm", pageRoot) });
      return {
        runChecks: module.runChecks,
        decodeShareLink: module.decodeShareLink,
        shareLink: module.shareLink,
        renderReport: module.renderReport,
      };
    })();
  }
  return loading;
}

// Attributes of the element and the query parameters of the page they become.
const PARAMETERS = {
  registry: "registry",
  cloud: "cloud",
  lang: "lang",
  autorun: "autorun",
  "helper-port": "helper_port",
  theme: "theme",
  "arm-url": "arm_url",
  "arm-registry": "arm_registry",
};

/** `<acr-health>`: the page in a frame, with its progress and report as DOM events. */
export class AcrHealthElement extends HTMLElement {
  static observedAttributes = [...Object.keys(PARAMETERS), "height"];

  #frame = null;
  #onMessage = (event) => this.#receive(event);

  /** The last report the page posted, or null. */
  report = null;

  connectedCallback() {
    if (this.#frame === null) {
      const shadow = this.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = ":host { display: block; } iframe { width: 100%; border: 0; display: block; }";
      this.#frame = document.createElement("iframe");
      this.#frame.title = "acr-health";
      shadow.append(style, this.#frame);
    }
    window.addEventListener("message", this.#onMessage);
    this.#load();
  }

  disconnectedCallback() {
    window.removeEventListener("message", this.#onMessage);
  }

  attributeChangedCallback() {
    if (this.#frame !== null && this.isConnected) {
      this.#load();
    }
  }

  #pageUrl() {
    const url = new URL("index.html", pageRoot);
    for (const [attribute, parameter] of Object.entries(PARAMETERS)) {
      const value = this.getAttribute(attribute);
      if (value !== null) {
        // A bare `autorun` attribute means on.
        url.searchParams.set(parameter, attribute === "autorun" && value === "" ? "1" : value);
      }
    }
    url.searchParams.set("embedder", window.location.origin);
    return url.href;
  }

  #load() {
    this.#frame.style.height = this.getAttribute("height") ?? "720px";
    const url = this.#pageUrl();
    if (this.#frame.src !== url) {
      this.report = null;
      this.#frame.src = url;
    }
  }

  #receive(event) {
    // Only the page in this element's own frame is listened to.
    if (event.source !== this.#frame?.contentWindow || event.origin !== pageRoot.origin) {
      return;
    }
    const message = event.data;
    if (message?.source !== "acr-health") {
      return;
    }
    if (message.type === "progress") {
      this.dispatchEvent(new CustomEvent("acr-health-progress", { detail: message.result, bubbles: true }));
    } else if (message.type === "report") {
      this.report = message.report;
      const detail = { report: message.report, link: message.link };
      this.dispatchEvent(new CustomEvent("acr-health-report", { detail, bubbles: true }));
    }
  }
}

if (!customElements.get("acr-health")) {
  customElements.define("acr-health", AcrHealthElement);
}
