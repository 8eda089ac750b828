export function StatePage() {
  return <h1>State</h1>;
}
