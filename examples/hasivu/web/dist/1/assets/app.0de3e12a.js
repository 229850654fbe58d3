// HASIVU front end, version 1: the built bundle (a stand-in for the real one), routing on the client.
const routes = { '/': 'Home', '/menu/today': 'Today\'s menu', '/orders': 'Orders', '/wallet': 'Wallet' };
document.getElementById('root').textContent = (routes[location.pathname] ?? 'Not found') + ' (v1)';
