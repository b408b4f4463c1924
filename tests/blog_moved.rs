//! A blog moved from another generator keeps its addresses and pictures: Jekyll's slugs
//! (a dated file name loses its date, a post published under the dated slug keeps it),
//! pushed to real local Workers KV and served by the reference Worker.

mod blog_support;
mod common;

use blog_support::{Blog, Dev, wrangler};
use common::{snapshot_filters, stderr_of};

#[test]
fn jekyll_slugs_drop_the_date_but_a_published_dated_slug_stays() {
    wrangler();
    let dev = Dev::start();
    let blog = Blog::new(&dev, "");
    // devkit once gave a dated file with `date:` its whole name as slug; written that way.
    let old = "---\ntitle: Jekyll live\ndate: 2023-11-05\nstatus: published\n---\nLive.\n";
    blog.sandbox.write(
        "posts/2023-11-05-jekyll-live.md",
        old.replace("status:", "slug: 2023-11-05-jekyll-live\nstatus:"),
    );
    let first = blog.push(&[]);
    assert!(first.status.success(), "{}", stderr_of(&first));

    blog.sandbox.write("posts/2023-11-05-jekyll-live.md", old);
    blog.sandbox.write(
        "posts/2024-01-02-new-post.md",
        "---\ntitle: New post\ndate: 2024-01-02\nstatus: published\n---\nNew.\n",
    );
    blog.sandbox.write(
        "posts/2024-02-03-no-date.md",
        "---\ntitle: No date\nstatus: published\n---\nUndated.\n",
    );
    let out = blog.push(&[]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    {
        let mut filters = snapshot_filters(&blog.sandbox);
        filters.add_filter(r"/tmp/devkit-kv-\w+", "[PERSIST]");
        let _filters = filters.bind_to_scope();
        insta::assert_snapshot!("moved_jekyll_push", stderr_of(&out));
    }
    assert_eq!(blog.page("2023-11-05-jekyll-live").0, 200);
    assert_eq!(blog.page("jekyll-live").0, 404);
    assert_eq!(blog.page("new-post").0, 200);
    assert_eq!(blog.page("no-date").0, 200);
    assert_eq!(blog.page("2024-01-02-new-post").0, 404);
}
