# 1000 posts of about 5 KB, each with two code blocks and one image of its own (900 published,
# 50 unlisted, 50 drafts); used by the blog benchmark cases.
import os, struct, sys, zlib
blog = sys.argv[1]
os.makedirs(f"{blog}/posts/img", exist_ok=True)

def png(seed):
    # A small RGB PNG whose colour depends on the post: every image is a different file.
    w, h = 32, 32
    raw = b"".join(b"\0" + bytes([(seed * 7) % 256, (seed * 13) % 256, (seed * 29) % 256]) * w for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
for i in range(1000):
    status = "draft" if i % 20 == 0 else "unlisted" if i % 20 == 1 else "published"
    title, date = f"Post number {i}", f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    with open(f"{blog}/posts/img/p{i:04d}.png", "wb") as f:
        f.write(png(i))
    body = (
        f"# {title}\n\n{lorem * 22}\n\n<!-- more -->\n\n## Code\n\n```rust\nfn post_{i}() -> u32 {{\n"
        + "".join(f"    let x{j} = {j} * {i};\n" for j in range(12))
        + f"    x0 + x1\n}}\n```\n\n{lorem * 20}\n\n![figure](img/p{i:04d}.png)\n\n```python\ndef post_{i}():\n"
        + "".join(f"    y{j} = {j} + {i}\n" for j in range(10))
        + f"    return y0\n```\n\n{lorem * 22}\n"
    )
    with open(f"{blog}/posts/post-{i:04d}.md", "w") as f:
        f.write(f"---\ntitle: {title}\ndate: {date}\nstatus: {status}\ntags: [bench, rust]\n---\n{body}")
