import { Link } from "react-router";

export function NotFound() {
  return (
    <section className="page narrow">
      <h1>Page not found</h1>
      <p>
        There is nothing here. Go <Link to="/">home</Link>.
      </p>
    </section>
  );
}
