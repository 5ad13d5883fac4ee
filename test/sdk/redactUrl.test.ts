import { expect } from "chai";
import { redactUrl } from "../../sdk/src";

describe("sdk: redactUrl (URLs in messages, logs and reports)", () => {
  it("keeps a URL that carries nothing but its origin", () => {
    expect(redactUrl("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
    expect(redactUrl("http://127.0.0.1:8545/")).to.equal("http://127.0.0.1:8545");
    expect(redactUrl(new URL("https://rpc.example.org"))).to.equal("https://rpc.example.org");
  });

  it("hides credentials and everything after the host: providers put API keys in paths and queries", () => {
    const cases: [string, string][] = [
      ["https://eth-mainnet.example.com/v2/abc123secret", "https://eth-mainnet.example.com/…"],
      ["https://user:hunter2@rpc.example.org", "https://rpc.example.org/…"],
      ["https://user:hunter2@rpc.example.org:8443/key", "https://rpc.example.org:8443/…"],
      ["https://rpc.example.org/?apikey=abc123secret", "https://rpc.example.org/…"],
      ["https://rpc.example.org#abc123secret", "https://rpc.example.org/…"],
    ];
    for (const [url, shown] of cases) {
      expect(redactUrl(url), url).to.equal(shown);
      expect(redactUrl(url)).not.to.match(/abc123secret|hunter2|user/);
    }
  });

  it("never echoes what it cannot parse", () => {
    expect(redactUrl("not a url with abc123secret")).to.equal("(unparseable URL)");
    expect(redactUrl("localhost:8545/abc123secret")).to.equal("localhost:…");
  });
});
