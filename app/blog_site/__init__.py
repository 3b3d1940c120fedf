"""The public blog: server-rendered pages that need neither JavaScript nor a sign-in, Atom
feeds, the sitemap and robots.txt, and post images."""
