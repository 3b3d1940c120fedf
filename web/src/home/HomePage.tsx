import { useRef } from "react";
import "./home.css";
import { useMe } from "../auth/useMe";
import { useShortcuts } from "../ui/shortcuts";
import { NotebooksSection } from "./NotebooksSection";
import { PostsSection } from "./PostsSection";
import { TodaySection } from "./TodaySection";

/** Where a person lands after signing in: today's todos, running notebooks and posts, all live. */
export function HomePage() {
  const me = useMe();
  const quickAdd = useRef<HTMLInputElement>(null);
  useShortcuts({ n: () => quickAdd.current?.focus() });

  return (
    <div className="page home" aria-labelledby="home-title">
      <header className="page-header">
        <h1 id="home-title">{me.data ? `Hello, ${me.data.username}` : "Home"}</h1>
      </header>
      <div className="home-grid">
        <TodaySection ref={quickAdd} />
        <div className="home-side">
          <NotebooksSection />
          <PostsSection />
        </div>
      </div>
    </div>
  );
}
