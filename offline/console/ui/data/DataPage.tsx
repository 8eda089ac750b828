export function DataPage() {
  return <h1>Data</h1>;
}
