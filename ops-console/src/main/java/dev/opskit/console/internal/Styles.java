package dev.opskit.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The console's one style sheet, inlined in every page and allowed by its hash in the Content-Security-Policy. */
public final class Styles {
  public static final String CSS = """
      :root{--bg:#fbfbfa;--fg:#1d2127;--muted:#5f6773;--line:#e3e5e8;--card:#fff;--link:#1f5fbf;--head:#f3f4f6;
      --ok:#2e7d4f;--fail:#c0392b;--run:#1f6fd1;--skip:#8a8f98;--cache:#7b5cc4;--warn:#b7791f;
      font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;font-size:15px;line-height:1.5}
      @media (prefers-color-scheme:dark){:root{--bg:#14171b;--fg:#e6e8eb;--muted:#9aa3ad;--line:#2b3038;--card:#1b1f25;
      --link:#7fb0ff;--head:#20252c;--ok:#49b47a;--fail:#f06b5d;--run:#5b9cf0;--skip:#8a8f98;--cache:#a88cf0;
      --warn:#e0a84a}}
      *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg)}
      header{display:flex;gap:1.5rem;align-items:baseline;padding:.8rem 2rem;border-bottom:1px solid var(--line);
      background:var(--card)}header .brand{font-weight:650;letter-spacing:.02em}
      nav a{margin-right:1rem}main{max-width:1200px;margin:0 auto;padding:1.5rem 2rem 3rem}
      a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
      h1{font-size:1.5rem;font-weight:600;margin:.2rem 0 1rem}h2{font-size:1.1rem;font-weight:600;margin:2rem 0 .6rem}
      table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:6px}
      th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
      th{background:var(--head);font-weight:600;font-size:.85rem;color:var(--muted)}
      td.num{font-variant-numeric:tabular-nums;text-align:right}code,.mono{font-family:ui-monospace,SFMono-Regular,
      Menlo,Consolas,monospace;font-size:.85em}
      .badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.78rem;font-weight:600;
      border:1px solid currentColor}
      .s-SUCCEEDED,.s-READY,.s-PRODUCTION,.s-COMMITTED,.ok{color:var(--ok)}.s-FAILED,.s-FAILED_REGISTRATION,.bad{color:var(--fail)}
      .s-RUNNING,.s-RETRYING,.s-STAGING{color:var(--run)}.s-CACHED,.s-REUSED{color:var(--cache)}
      .s-SKIPPED,.s-CANCELLED,.s-PENDING,.s-NONE,.s-ARCHIVED,.s-PENDING_REGISTRATION{color:var(--skip)}
      .quarantined{color:#fff;background:var(--fail);border-color:var(--fail)}.muted{color:var(--muted)}.err{color:var(--fail);white-space:pre-wrap}
      dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.2rem;margin:0 0 1rem}
      dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
      form.filter{display:flex;gap:.8rem;align-items:end;margin-bottom:1rem}
      form.filter label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
      input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;
      background:var(--card);color:var(--fg)}button{cursor:pointer}
      .pager{margin-top:1rem;display:flex;gap:1rem}.chart{background:var(--card);border:1px solid var(--line);
      border-radius:6px;padding:.5rem;overflow-x:auto}
      svg text{font-family:inherit;font-size:12px;fill:var(--fg)}svg .axis{stroke:var(--line)}
      svg .edge{stroke:var(--muted);fill:none}svg .node{fill:var(--card);stroke-width:2}
      svg .f-SUCCEEDED{stroke:var(--ok);fill:var(--ok)}svg .f-FAILED{stroke:var(--fail);fill:var(--fail)}
      svg .f-RUNNING,svg .f-RETRYING{stroke:var(--run);fill:var(--run)}svg .f-CACHED,svg .f-REUSED{stroke:var(--cache);
      fill:var(--cache)}svg .f-SKIPPED,svg .f-CANCELLED,svg .f-PENDING{stroke:var(--skip);fill:var(--skip)}
      svg .node.f-SUCCEEDED,svg .node.f-FAILED,svg .node.f-RUNNING,svg .node.f-RETRYING,svg .node.f-CACHED,
      svg .node.f-REUSED,svg .node.f-SKIPPED,svg .node.f-CANCELLED,svg .node.f-PENDING{fill:var(--card)}
      .verify{padding:.6rem .9rem;border-radius:6px;border:1px solid currentColor;margin-bottom:1rem}
      """;

  /** The CSP source that allows exactly {@link #CSS} as an inline style element. */
  static final String CSP_HASH = "'sha256-" + sha256(CSS) + "'";

  private Styles() {}

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
