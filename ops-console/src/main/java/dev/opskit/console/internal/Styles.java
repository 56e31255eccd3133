package dev.opskit.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The console's one style sheet, inlined in every page and allowed by its hash in the Content-Security-Policy. */
final class Styles {
  /** The dark palette: used when the system prefers dark (unless the user chose light) or when the user chose dark. */
  private static final String DARK = "--bg:#121518;--fg:#e4e7eb;--muted:#9aa3ad;--line:#2a3038;--card:#1a1e24;"
      + "--link:#84b4ff;--head:#20252c;--ok:#4cc07f;--fail:#f2705f;--run:#64a3f5;--skip:#8a929c;--cache:#ae94f3;"
      + "--warn:#e6b050;--bar:#5d8fd8;--accent-bg:#1d2a3d;--loud:#5a1d18";

  static final String CSS = """
      :root{--bg:#f7f7f5;--fg:#1c2026;--muted:#616a75;--line:#e2e4e7;--card:#fff;--link:#1d5cc0;--head:#f2f3f5;
      --ok:#237a48;--fail:#c0392b;--run:#1f6fd1;--skip:#868c95;--cache:#7356c4;--warn:#a86b12;--bar:#4a7fd0;
      --accent-bg:#eaf1fc;--loud:#fdecea;
      font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;font-size:15px;line-height:1.5}
      @media (prefers-color-scheme:dark){:root:not([data-theme=light]){""" + DARK + """
      }}
      :root[data-theme=dark]{""" + DARK + """
      }
      *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg)}
      header{display:flex;gap:1.8rem;align-items:center;padding:.7rem 2rem;border-bottom:1px solid var(--line);
      background:var(--card)}header .brand{font-weight:700;letter-spacing:.01em}header .brand span{color:var(--muted);
      font-weight:500}nav{display:flex;gap:.3rem;flex:1}nav a{padding:.25rem .7rem;border-radius:999px;color:var(--fg)}
      nav a[aria-current]{background:var(--accent-bg);color:var(--link);font-weight:600}nav a:hover{text-decoration:none;
      background:var(--head)}.theme{display:flex;gap:.2rem;font-size:.8rem}.theme a{padding:.1rem .5rem;border-radius:4px;
      color:var(--muted)}.theme a[aria-current]{background:var(--head);color:var(--fg)}
      main{max-width:1240px;margin:0 auto;padding:1.5rem 2rem 3rem}
      a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
      h1{font-size:1.55rem;font-weight:650;margin:.2rem 0 1rem;letter-spacing:-.01em}
      h2{font-size:1.1rem;font-weight:600;margin:2rem 0 .6rem}h3{font-size:.95rem;font-weight:600;margin:0 0 .3rem}
      .crumbs{font-size:.85rem;color:var(--muted);margin-bottom:.2rem}
      table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:6px}
      th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}
      th{background:var(--head);font-weight:600;font-size:.8rem;color:var(--muted);text-transform:uppercase;
      letter-spacing:.03em}tbody tr:hover{background:var(--head)}
      .nowrap{white-space:nowrap}td.why{overflow-wrap:anywhere;min-width:14rem}td.num{white-space:nowrap}td.wide{min-width:15rem}
      table.compare thead th{text-transform:none;font-size:.85rem;color:var(--fg)}table.compare td.v{font-variant-numeric:
      tabular-nums}table.compare tbody th{padding-top:.8rem}.delta{color:var(--muted);font-size:.85em}
      td.num,th.num{font-variant-numeric:tabular-nums;text-align:right}code,.mono{font-family:ui-monospace,
      SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
      .badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.75rem;font-weight:600;
      border:1px solid currentColor;white-space:nowrap}
      .s-SUCCEEDED,.s-READY,.s-PRODUCTION,.s-COMMITTED,.ok{color:var(--ok)}.s-FAILED,.s-FAILED_REGISTRATION,.bad{color:var(--fail)}
      .s-RUNNING,.s-RETRYING,.s-STAGING{color:var(--run)}.s-CACHED,.s-REUSED{color:var(--cache)}
      .s-SKIPPED,.s-CANCELLED,.s-PENDING,.s-NONE,.s-ARCHIVED,.s-PENDING_REGISTRATION{color:var(--skip)}.warn{color:var(--warn)}
      .quarantined{color:#fff;background:var(--fail);border-color:var(--fail)}.muted{color:var(--muted)}.err{color:var(--fail);white-space:pre-wrap}
      .alarm{background:var(--loud);color:var(--fail);border:2px solid var(--fail);border-radius:6px;padding:.7rem 1rem;
      margin:0 0 1rem;font-weight:600}.alarm .muted{font-weight:400}
      dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.2rem;margin:0 0 1rem}
      dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
      form.filter{display:flex;gap:.8rem;align-items:end;margin-bottom:1rem;flex-wrap:wrap}
      form.filter label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
      input,select,button{font:inherit;padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;
      background:var(--card);color:var(--fg)}button{cursor:pointer;background:var(--accent-bg);color:var(--link);
      font-weight:600}input[type=checkbox]{width:1rem;height:1rem;margin:0;vertical-align:middle}
      .pager{margin-top:1rem;display:flex;gap:1rem}.chart{background:var(--card);border:1px solid var(--line);
      border-radius:6px;padding:.5rem;overflow-x:auto}
      .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:.8rem}
      .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem}
      .card .stats{display:grid;grid-template-columns:repeat(4,1fr);gap:.1rem .6rem;font-size:.8rem;margin-top:.4rem}
      .card .stats b{display:block;font-weight:600;font-variant-numeric:tabular-nums;font-size:.9rem}
      .up{color:var(--ok)}.down{color:var(--fail)}.diff{font-variant-numeric:tabular-nums}
      svg text{font-family:inherit;font-size:12px;fill:var(--fg)}svg text.small{font-size:10px;fill:var(--muted)}
      svg .axis{stroke:var(--line)}svg .bar{fill:var(--bar)}svg .bar:hover{opacity:.75}svg .line{stroke:var(--bar);
      fill:none;stroke-width:2}svg .dot{fill:var(--bar)}svg .psi-ok{fill:var(--ok)}svg .psi-warn{fill:var(--warn)}
      svg .psi-bad{fill:var(--fail)}
      svg .edge{stroke:var(--muted);fill:none}svg .node{fill:var(--card);stroke-width:2}svg .vnode.root{stroke:var(--link);
      stroke-width:2.5}svg .vnode{fill:var(--card);
      stroke:var(--muted);stroke-width:1.5}svg .vnode.q{stroke:var(--fail);stroke-dasharray:4 3}
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
