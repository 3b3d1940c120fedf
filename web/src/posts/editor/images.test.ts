import { describe, expect, it } from "vitest";
import { altText, imageFiles, imageMarkdown, insertionFor, uploadPlaceholder } from "./images";

describe("images in the editor", () => {
  it("takes image files only", () => {
    const files = [
      new File(["x"], "a.png", { type: "image/png" }),
      new File(["x"], "b.svg", { type: "image/svg+xml" }),
      new File(["x"], "c.txt", { type: "text/plain" }),
      new File(["x"], "d.webp", { type: "image/webp" }),
    ];
    expect(imageFiles(files).map((f) => f.name)).toEqual(["a.png", "d.webp"]);
    expect(imageFiles(null)).toEqual([]);
  });

  it("makes alt text from the file name", () => {
    expect(altText("my-cat_photo.PNG")).toBe("my cat photo");
    expect(altText("[evil]\\.png")).toBe("evil");
    expect(altText(".png")).toBe("image");
  });

  it("gives each upload its own placeholder, an empty image until replaced", () => {
    const one = uploadPlaceholder("a.png");
    const two = uploadPlaceholder("a.png");
    expect(one).not.toBe(two);
    expect(one).toMatch(/^!\[Uploading a… #\w+\]\(\)$/);
  });

  it("writes the Markdown for an uploaded image", () => {
    expect(imageMarkdown("cat.png", "/blog/images/3f9a.png")).toBe("![cat](/blog/images/3f9a.png)");
    expect(imageMarkdown("x", "/i/a b(1).png")).toBe("![x](/i/a%20b%281%29.png)");
  });

  it("makes the image a paragraph of its own", () => {
    expect(insertionFor("abc", 3, "![i](u)")).toBe("\n\n![i](u)");
    expect(insertionFor("abc\n", 4, "![i](u)")).toBe("\n![i](u)");
    expect(insertionFor("abc", 0, "![i](u)")).toBe("![i](u)\n\n");
    expect(insertionFor("a\n\nb", 2, "![i](u)")).toBe("\n![i](u)\n");
    expect(insertionFor("a\n\n\nb", 3, "![i](u)")).toBe("![i](u)\n");
    expect(insertionFor("", 0, "![i](u)")).toBe("![i](u)");
  });
});
